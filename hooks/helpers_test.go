package hooks_test

import (
	"context"
	"tutorbase/internal/app/platform"

	"github.com/pocketbase/dbx"
)

// dbxHash builds a HashExp from key/value pairs.
func dbxHash(kv ...any) dbx.HashExp {
	h := dbx.HashExp{}
	for i := 0; i+1 < len(kv); i += 2 {
		h[kv[i].(string)] = kv[i+1]
	}
	return h
}

func importedCtx() context.Context { return platform.Imported(context.Background()) }
