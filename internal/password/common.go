package password

import (
	_ "embed" // for the common-password list
	"strings"
	"sync"
)

// common.txt: where it comes from and how to regenerate it
//
// Source: the "passwords" dictionary of the npm package
// @zxcvbn-ts/language-common 4.1.3 (src/passwords.json; tarball sha1
// c0955cc6819f89e49f4274c7013890c1ae7fdd06), the list zxcvbn-ts uses to
// recognise common passwords. The zxcvbn-ts data script builds it from
// Mark Burnett's 2015 "ten million passwords" corpus, a breach-derived
// data set he released into the public domain: passwords are lower-cased,
// counted, kept when seen more than 10 times, ordered by frequency, and
// dropped when non-ASCII or when zxcvbn's own patterns (repeats, sequences,
// keyboard walks, dates) would guess them sooner than their rank. The
// package holds 49,233 entries; we keep the 35,000 most frequent so the
// embedded file stays under 300 KB (274,531 bytes).
//
// Licence: MIT. Copyright (c) 2012-2016 Dan Wheeler and Dropbox, Inc.;
// copyright (c) 2021 @zxcvbn-ts. The MIT licence permits redistribution
// with the notice kept (this comment); the underlying corpus is public
// domain.
//
// Format: one password per line, lower-case, 1..128 runes, deduplicated,
// most frequent first.
//
// Regenerate (needs npm and jq; apt-get install jq), from this directory:
//
//	tmp=$(mktemp -d)
//	(cd "$tmp" && npm pack @zxcvbn-ts/language-common@4.1.3 && tar xzf zxcvbn-ts-language-common-4.1.3.tgz)
//	jq -r '.[] | ascii_downcase | select(length >= 1 and length <= 128)' "$tmp/package/src/passwords.json" |
//		awk '!seen[$0]++' | head -n 35000 > common.txt
//	sha256sum common.txt # e49454bb0f5c09bffce7da5f4dc8c85203388ae6a2e11c7a415a3e83ae04bd7b

//go:embed common.txt
var commonTxt string

// commonSet parses the embedded list on first use, so programs that never
// check a password pay nothing for it.
var commonSet = sync.OnceValue(func() map[string]struct{} {
	set := make(map[string]struct{}, strings.Count(commonTxt, "\n")+1)
	for line := range strings.SplitSeq(commonTxt, "\n") {
		if line != "" {
			set[line] = struct{}{}
		}
	}
	return set
})

// IsCommon reports whether pw, ignoring case, is on the embedded list of
// common breached passwords. It is exact-match only: "password1" is listed
// on its own merit, not because "password" is.
func IsCommon(pw string) bool {
	_, ok := commonSet()[strings.ToLower(pw)]
	return ok
}
