package ops

import (
	"strings"

	"github.com/pocketbase/pocketbase/apis"
	"github.com/pocketbase/pocketbase/core"
	"github.com/pocketbase/pocketbase/tools/hook"
)

// CompressMinBytes is the smallest API answer worth compressing: below it
// gzip's header and the CPU cost more than the bytes saved.
const CompressMinBytes = 1024

// CompressAPI gzips the API's answers of CompressMinBytes or more for
// clients that accept gzip (PocketBase's gzip middleware, limited to
// /api/). Left alone: the realtime stream (events must leave at once),
// files and zips (compressed already, and served with ranges), backups,
// and everything outside /api/ (the web app's files are gzipped once by
// internal/static; /metrics by its own handler).
func CompressAPI() *hook.Handler[*core.RequestEvent] {
	gz := apis.GzipWithConfig(apis.GzipConfig{MinLength: CompressMinBytes})
	return &hook.Handler[*core.RequestEvent]{
		Id: "tutorbaseCompressAPI",
		Func: func(e *core.RequestEvent) error {
			if !compressible(e.Request.URL.Path) {
				return e.Next()
			}
			return gz.Func(e)
		},
	}
}

func compressible(path string) bool {
	if !strings.HasPrefix(path, "/api/") {
		return false
	}
	for _, p := range []string{"/api/realtime", "/api/files/", "/api/backups", "/api/materials/"} {
		if strings.HasPrefix(path, p) {
			return false
		}
	}
	return true
}
