package pypi_test

import (
	"context"
	"strings"
	"testing"

	"github.com/trustpub/pypi"
)

// TestBadRepositoryHidesPassword: a repository URL that is refused is
// quoted without its user info.
func TestBadRepositoryHidesPassword(t *testing.T) {
	t.Parallel()
	for _, repo := range []string{"https://u:s3cret-pw@exa mple.com/legacy/", "ftp://u:s3cret-pw@example.com/legacy/", "https://u:s3cret-pw@x.org:port/?q", "ftp://:s3cret-pw@x"} {
		_, err := pypi.Publish(context.Background(), pypi.Options{Repository: repo, HTTPClient: noNetwork(t)})
		if err == nil || strings.Contains(err.Error(), "s3cret-pw") || !strings.Contains(err.Error(), "[redacted]@") {
			t.Errorf("%s: err = %v; want the URL refused, without its password", repo, err)
		}
	}
}
