package platform

import (
	"archive/zip"
	"net/http"

	"github.com/pocketbase/dbx"
	"github.com/pocketbase/pocketbase/apis"
	"github.com/pocketbase/pocketbase/core"
	"github.com/pocketbase/pocketbase/tools/search"
)

// ListRecords answers e like PocketBase's records list, over query
// instead of the collection's list rule: filter, sort, paging and expand
// as usual. Hidden fields and superuser-only collections stay out of
// filters for anyone but a superuser, as in PocketBase's own list.
func ListRecords(e *core.RequestEvent, collection *core.Collection, query *dbx.SelectQuery) error {
	info, err := e.RequestInfo()
	if err != nil {
		return e.BadRequestError("", err)
	}
	resolver := core.NewRecordFieldResolver(e.App, collection, info, info.HasSuperuserAuth())
	provider := search.NewProvider(resolver).Query(query).CountCol("_rowid_")
	records := []*core.Record{}
	result, err := provider.ParseAndExec(e.Request.URL.Query().Encode(), &records)
	if err != nil {
		return e.BadRequestError("Invalid list query.", err)
	}
	if err := apis.EnrichRecords(e, records); err != nil {
		return e.InternalServerError("Failed to enrich records", err)
	}
	return e.JSON(http.StatusOK, result)
}

// ZipDownload begins a 200 answer that is a zip file named filename, not
// to be cached, and gives the writer to stream its entries into (the
// caller closes it). Once it has begun, an error can only cut the answer
// short, which the browser reports as a failed download.
func ZipDownload(e *core.RequestEvent, filename string) *zip.Writer {
	h := e.Response.Header()
	h.Set("Content-Type", "application/zip")
	h.Set("Content-Disposition", `attachment; filename="`+filename+`"`)
	h.Set("Cache-Control", "no-store")
	e.Response.WriteHeader(http.StatusOK)
	return zip.NewWriter(e.Response)
}
