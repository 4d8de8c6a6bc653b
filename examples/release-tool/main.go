// Command release-tool publishes distributions by Trusted Publishing with
// the packages one by one, as a release tool that needs control over each
// step would: dist opens and checks the files, mint trades the CI job's
// identity tokens (from oidc) at the index for upload tokens, and upload
// sends the files. pypi.Publish does all of this in one call.
//
//	release-tool [-repository-url URL] [-skip-existing] FILE...
//
// Run it in a CI job allowed to request identity tokens (GitHub Actions:
// `permissions: id-token: write`), with a trusted publisher registered
// for the project on the index.
package main

import (
	"context"
	"errors"
	"flag"
	"fmt"
	"io"
	"os"

	"github.com/trustpub/pypi/dist"
	"github.com/trustpub/pypi/mint"
	"github.com/trustpub/pypi/oidc"
	"github.com/trustpub/pypi/upload"
)

func main() {
	if err := run(context.Background(), os.Args[1:], os.Getenv, os.Stdout); err != nil {
		fmt.Fprintln(os.Stderr, "release-tool:", err)
		os.Exit(1)
	}
}

func run(ctx context.Context, args []string, getenv func(string) string, w io.Writer) error {
	fs := flag.NewFlagSet("release-tool", flag.ContinueOnError)
	repo := fs.String("repository-url", upload.PyPIURL, "the index's upload `URL`")
	skip := fs.Bool("skip-existing", false, "succeed for files the index already has")
	if err := fs.Parse(args); err != nil {
		return err
	}
	if fs.NArg() == 0 {
		return errors.New("no files given")
	}

	// 1. Open every file and check it by PyPI's rules before any network call.
	var ds []*dist.Distribution
	var problems []error
	for _, path := range fs.Args() {
		d, err := dist.Open(path)
		if err == nil {
			err = d.Validate(dist.PyPI)
		}
		var sums dist.Digests
		if err == nil {
			// Hashed now for the log line; the upload then sends the
			// digests before the file (without this it would hash the
			// file as it sends it).
			sums, err = d.Digests(false)
		}
		if err != nil {
			problems = append(problems, err)
			continue
		}
		fmt.Fprintf(w, "checked %s: %s %s, sha256 %s\n", path, d.Metadata.Name, d.Metadata.Version, sums.SHA256)
		ds = append(ds, d)
	}
	if len(problems) > 0 {
		return errors.Join(problems...)
	}

	// 2. Upload tokens by Trusted Publishing: the CI's identity tokens,
	// traded at the index, minted again before they expire. The first is
	// minted now, so that a refused publisher shows before any upload.
	ci := &oidc.Config{Getenv: getenv}
	mc := &mint.Config{UploadURL: *repo}
	tokens, claims, err := mc.TrustedPublishing(ctx, ci)
	if errors.Is(err, oidc.ErrMissingIDTokenPermission) {
		return fmt.Errorf("%w (give the job `permissions: id-token: write`)", err)
	}
	if err != nil {
		return err
	}
	sub, _ := claims.Get("sub")
	fmt.Fprintf(w, "running in %s as %s\n", ci.Provider(), sub)

	// 3. Upload: wheels first, retried, idempotent.
	c := &upload.Client{URL: *repo, Token: tokens}
	var failed []error
	for _, r := range c.UploadAll(ctx, ds, upload.Options{SkipExisting: *skip}) {
		if r.Err != nil {
			failed = append(failed, r.Err)
			continue
		}
		fmt.Fprintf(w, "%s: %s\n", r.File, r.Outcome)
	}
	return errors.Join(failed...)
}
