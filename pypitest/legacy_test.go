package pypitest

import (
	"bytes"
	"encoding/base64"
	"encoding/json"
	"fmt"
	"net/http"
	"strings"
	"testing"
	"time"

	"github.com/google/go-cmp/cmp"
	"github.com/google/go-cmp/cmp/cmpopts"
)

func TestUploadStoresTheFile(t *testing.T) {
	t.Parallel()
	srv := newIndexServer(t)
	name, content := Dist{Name: "demo_pkg", Version: "1.0"}.Build()
	form := newTestForm(name, content).set("name", "Demo_Pkg").set("requires_python", ">=3.9")
	resp, body := sendForm(t, srv, "/legacy/", form, tokenAuth(uploadToken), "*/*")
	if resp.StatusCode != 200 || body != "" {
		t.Fatalf("answer %s %q, want 200 and an empty body", resp.Status, body)
	}
	f, ok := srv.File(name)
	if !ok || !bytes.Equal(f.Content, content) || f.Project != "Demo_Pkg" || f.Version != "1.0" || f.Filetype != "bdist_wheel" ||
		f.RequiresPython != ">=3.9" || f.Uploader.User != "alice" || f.Size != int64(len(content)) {
		t.Fatalf("stored %+v", f)
	}
	// the wheel's sums, by sha256sum, b2sum -l 256 and md5sum
	want := File{SHA256: "e1e51834a669ec35a82d02f997b0398e1b38c8948105fe17914a4222d53cfe8d",
		BLAKE2b256: "5d920fcea5457fe971a6cce4b5232ea8cd697b93b6c2cde7eec59b3f25397c09", MD5: "d5529928feb1b677a65c8b6513670dcf",
		Metadata: []byte("Metadata-Version: 2.1\nName: demo_pkg\nVersion: 1.0\nSummary: A test package\n")}
	got := File{SHA256: f.SHA256, BLAKE2b256: f.BLAKE2b256, MD5: f.MD5, Metadata: f.Metadata}
	if diff := cmp.Diff(want, got, cmpopts.IgnoreUnexported(File{}, Identity{})); diff != "" {
		t.Errorf("digests or metadata (-want +got):\n%s", diff)
	}
	ups := srv.Uploads()
	if len(ups) != 1 || !ups[0].Stored || ups[0].Status != 200 || ups[0].field("name") != "Demo_Pkg" || ups[0].Filename != name {
		t.Errorf("uploads = %+v", ups)
	}
	if got := srv.Files(); len(got) != 1 || got[0].Filename != name {
		t.Errorf("Files() = %v", got)
	}
}

func TestUploadAnswers(t *testing.T) {
	t.Parallel()
	wheelName, wheel := Dist{Name: "demo", Version: "1.0"}.Build()
	sdistName, sdist := Dist{Name: "demo", Version: "1.0", Sdist: true}.Build()
	form := func() *testForm { return newTestForm(wheelName, wheel) }
	const (
		invalidAuth = "Invalid or non-existent authentication information. See https://pypi.org/help/#invalid-auth for more information."
		nameHelp    = " See https://packaging.python.org/specifications/core-metadata for more information."
	)
	for _, tc := range []struct {
		name   string
		auth   string
		form   *testForm
		status int
		msg    string
	}{
		{"no auth", "-", form(), 403, invalidAuth},
		{"unknown token", tokenAuth("pypi-other"), form(), 403, invalidAuth},
		{"password", "Basic " + "YWxpY2U6c2VjcmV0", form(), 403, passwordAuthMessage},
		{"tuple", "", form().set("summary", "").withFilePart("summary"), 400, "summary: Should not be a tuple."},
		{"protocol", "", form().set("protocol_version", "2"), 400, "Unknown protocol version."},
		{"no name", "", form().set("name", ""), 400, "'' is an invalid value for Name. Error: This field is required." + nameHelp},
		{"bad name", "", form().set("name", "-demo"), 400, "'-demo' is an invalid value for Name. Error: Start and end with a letter or numeral containing only ASCII numeric and '.', '_' and '-'." + nameHelp},
		{"no filetype", "", form().set("filetype", ""), 400, "Invalid value for filetype. Error: This field is required."},
		{"bad filetype", "", form().set("filetype", "bdist_egg"), 400, "Invalid value for filetype. Error: Use a known file type."},
		{"no pyversion", "", form().set("pyversion", ""), 400, "Invalid value for pyversion. Error: Python version is required for binary distribution uploads."},
		{"sdist pyversion", "", newTestForm(sdistName, sdist).set("pyversion", "py3"), 400, "Invalid value for pyversion. Error: Use 'source' as Python version for an sdist."},
		{"bad sha256", "", form().set("sha256_digest", "abc"), 400, "Invalid value for sha256_digest. Error: Use a valid, hex-encoded, SHA256 message digest."},
		{"no digest", "", form().set("sha256_digest", "").set("blake2_256_digest", ""), 400, "Error: Include at least one message digest."},
		{"local version", "", form().set("version", "1.0+local"), 400, "The use of local versions in '1.0+local' is not allowed. See "},
		{"no file", "", &testForm{fields: form().fields}, 400, "Upload payload does not have a file."},
		{"image", "", func() *testForm { f := form(); f.contentType = "image/png"; return f }(), 400, "Invalid distribution file."},
		{"extension", "", func() *testForm { f := form(); f.filename = "demo-1.0.exe"; return f }(), 400, badExtension},
		{"extension for filetype", "", form().set("filetype", "sdist").set("pyversion", "source"), 400,
			"Invalid file extension: Extension .whl is invalid for filetype sdist. See https://www.python.org/dev/peps/pep-0527 for more information."},
		{"digest", "", form().set("md5_digest", strings.Repeat("0", 32)), 400, "The digest supplied does not match a digest calculated from the uploaded file."},
		{"attestations", "", form().set("attestations", "[]"), 400, attestationsPrefix + "Attestations are only supported when using Trusted Publishing"},
		{"archive", "", func() *testForm {
			f := newTestForm(wheelName, []byte("not a zip"))
			return f
		}(), 400, ""},
	} {
		t.Run(tc.name, func(t *testing.T) {
			t.Parallel()
			srv := newIndexServer(t)
			srv.AddUser("bob", "pass")
			auth := tc.auth
			switch auth {
			case "":
				auth = tokenAuth(uploadToken)
			case "-":
				auth = ""
			}
			resp, _ := sendForm(t, srv, "/legacy/", tc.form, auth, "")
			reason := strings.TrimPrefix(resp.Status, fmt.Sprint(resp.StatusCode, " "))
			if resp.StatusCode != tc.status || !strings.HasPrefix(reason, tc.msg) {
				t.Errorf("answer %d %q\nwant   %d %q", resp.StatusCode, reason, tc.status, tc.msg)
			}
			if len(srv.Files()) != 0 {
				t.Errorf("a refused upload was stored")
			}
		})
	}
}

// withFilePart sends the named field as a file part too.
func (f *testForm) withFilePart(name string) *testForm {
	f.extraFile = name
	return f
}

func TestUploadDuplicates(t *testing.T) {
	t.Parallel()
	srv := newIndexServer(t)
	name, content := Dist{Name: "demo", Version: "1.0"}.Build()
	if code, msg := upload(t, srv, newTestForm(name, content)); code != 200 {
		t.Fatalf("first upload: %d %s", code, msg)
	}
	if code, msg := upload(t, srv, newTestForm(name, content)); code != 200 || len(srv.Files()) != 1 || srv.Uploads()[1].Stored {
		t.Errorf("exact re-upload: %d %s, %d files; want 200 and nothing stored", code, msg, len(srv.Files()))
	}
	_, other := Dist{Name: "demo", Version: "1.0", Metadata: []string{"Keywords: changed"}}.Build()
	code, msg := upload(t, srv, newTestForm(name, other))
	want := fmt.Sprintf("File already exists ('%s', with blake2_256 hash '%s'). See https://pypi.org/help/#file-name-reuse for more information.",
		name, newTestForm(name, other).value("blake2_256_digest"))
	if code != 400 || msg != want {
		t.Errorf("other bytes: %d %q\nwant 400 %q", code, msg, want)
	}

	sdistName, sdist := Dist{Name: "demo", Version: "1.0", Sdist: true}.Build()
	if code, msg := upload(t, srv, newTestForm(sdistName, sdist)); code != 200 {
		t.Fatalf("sdist: %d %s", code, msg)
	}
	_, sdist2 := Dist{Name: "demo", Version: "1.0", Sdist: true, Metadata: []string{"Keywords: second"}}.Build()
	zipName := "demo-1.0.zip"
	if code, msg := upload(t, srv, newTestForm(zipName, sdist2).set("version", "1.0").set("filetype", "sdist").set("pyversion", "source")); code != 400 || msg != "Only one sdist may be uploaded per release." {
		t.Errorf("second sdist: %d %q", code, msg)
	}

	if !srv.DeleteFile(name) {
		t.Fatal("DeleteFile found nothing")
	}
	if code, msg := upload(t, srv, newTestForm(name, content)); code != 400 || !strings.HasPrefix(msg, "This filename was previously used by a file that has since been deleted.") {
		t.Errorf("re-upload after delete: %d %q", code, msg)
	}
}

func TestUploadReleaseWindowAndSize(t *testing.T) {
	t.Parallel()
	clock := NewClock(time.Date(2026, 1, 1, 0, 0, 0, 0, time.UTC))
	srv := newIndexServer(t, WithClock(clock.Now))
	name, content := Dist{Name: "demo", Version: "1.0"}.Build()
	if code, msg := upload(t, srv, newTestForm(name, content)); code != 200 {
		t.Fatalf("upload: %d %s", code, msg)
	}
	clock.Advance(15 * 24 * time.Hour)
	sdistName, sdist := Dist{Name: "demo", Version: "1.0", Sdist: true}.Build()
	if code, msg := upload(t, srv, newTestForm(sdistName, sdist)); code != 400 || msg != "Uploading new files to releases older than 14 days is not allowed." {
		t.Errorf("old release: %d %q", code, msg)
	}
	srv.SetMaxFileSize(100)
	name2, content2 := Dist{Name: "demo", Version: "2.0"}.Build()
	want := "File too large. Limit for project 'demo' is 0 MB. See https://docs.pypi.org/project-management/storage-limits#requesting-a-file-size-limit-increase for more information."
	if code, msg := upload(t, srv, newTestForm(name2, content2)); code != 400 || msg != want {
		t.Errorf("too large: %d %q", code, msg)
	}
}

func TestUploadProjectScope(t *testing.T) {
	t.Parallel()
	srv := NewServer()
	t.Cleanup(srv.Close)
	srv.AddAPIToken("alice", "pypi-scoped", "other")
	name, content := Dist{Name: "demo", Version: "1.0"}.Build()
	resp, _ := sendForm(t, srv, "/legacy/", newTestForm(name, content), tokenAuth("pypi-scoped"), "")
	if resp.StatusCode != 403 || !strings.Contains(resp.Status, "Invalid API Token: project-scoped token is not valid for project: 'demo'") {
		t.Errorf("answer %s", resp.Status)
	}
	srv.AddUser("bob", "pass", "demo")
	basic := "Basic " + base64.StdEncoding.EncodeToString([]byte("bob:pass"))
	if resp, _ := sendForm(t, srv, "/legacy/", newTestForm(name, content), basic, ""); resp.StatusCode != 200 {
		t.Errorf("password upload: %s", resp.Status)
	}
	if f, ok := srv.File(name); !ok || f.Uploader.User != "bob" {
		t.Errorf("stored %+v", f)
	}
}

func TestErrorBodies(t *testing.T) {
	t.Parallel()
	srv := newIndexServer(t)
	name, content := Dist{Name: "demo", Version: "1.0"}.Build()
	f := newTestForm(name, content).set("protocol_version", "2")
	for accept, want := range map[string]string{
		"*/*": "<html>\n <head>\n  <title>400 Unknown protocol version.</title>\n </head>\n <body>\n  <h1>400 Unknown protocol version.</h1>\n" +
			"  The server could not comply with the request since it is either malformed or otherwise incorrect.<br/><br/>\nUnknown protocol version.\n\n\n </body>\n</html>",
		"application/json;q=0.9, text/plain;q=0.8, text/html;q=0.7": `{"message": "The server could not comply with the request since it is either malformed or otherwise incorrect.\n\n\nUnknown protocol version.\n\n", "code": "400 Unknown protocol version.", "title": "Bad Request"}`,
		"text/plain": "400 Unknown protocol version.\n\nThe server could not comply with the request since it is either malformed or otherwise incorrect.\n\n\nUnknown protocol version.\n\n",
	} {
		resp, body := sendForm(t, srv, "/legacy/", f, tokenAuth(uploadToken), accept)
		if body != want || resp.Status != "400 Unknown protocol version." {
			t.Errorf("Accept %q: %s\n%s\nwant\n%s", accept, resp.Status, body, want)
		}
		if accept == "text/plain" {
			continue
		}
		var v map[string]any
		if strings.HasPrefix(accept, "application/json") && json.Unmarshal([]byte(body), &v) != nil {
			t.Errorf("JSON body does not parse: %s", body)
		}
	}
}

func TestLegacyRoutes(t *testing.T) {
	t.Parallel()
	srv := newIndexServer(t)
	name, content := Dist{Name: "demo", Version: "1.0"}.Build()
	resp, _ := sendForm(t, srv, "/legacy", newTestForm(name, content), tokenAuth(uploadToken), "")
	if resp.StatusCode != http.StatusPermanentRedirect || resp.Header.Get("Location") != "/legacy/" || resp.Status != "308 "+slashMessage {
		t.Errorf("/legacy: %s, Location %q", resp.Status, resp.Header.Get("Location"))
	}
	for action, want := range map[string]string{
		"submit":     "410 Project pre-registration is no longer required or supported, upload your files instead.",
		"doc_upload": "410 Uploading documentation is no longer supported, we recommend using https://readthedocs.org/.",
		"":           "200 OK",
	} {
		resp, _ := sendForm(t, srv, "/legacy/", newTestForm(name, content).set(":action", action), "", "")
		if resp.Status != want {
			t.Errorf(":action=%q: %s, want %s", action, resp.Status, want)
		}
	}
	if len(srv.Files()) != 0 {
		t.Error("a file was stored")
	}
}

// mintFor exchanges a token of iss for an upload token at srv.
func mintFor(t *testing.T, srv *Server, iss *Issuer) string {
	t.Helper()
	resp, err := srv.Client().Post(srv.URL+mintTokenPath, "application/json",
		strings.NewReader(`{"token": "`+iss.Token("pypi")+`"}`))
	if err != nil {
		t.Fatal(err)
	}
	defer resp.Body.Close()
	var v struct{ Token string }
	if err := json.NewDecoder(resp.Body).Decode(&v); err != nil || v.Token == "" {
		t.Fatalf("mint: %s, %v", resp.Status, err)
	}
	return v.Token
}

// attestationFor builds a PEP 740 attestation (unsigned) of the file.
func attestationFor(filename, sha256, predicate string) string {
	st := fmt.Sprintf(`{"_type":"https://in-toto.io/Statement/v1","subject":[{"name":%q,"digest":{"sha256":%q}}],"predicateType":%q,"predicate":{}}`,
		filename, sha256, predicate)
	return fmt.Sprintf(`{"version":1,"verification_material":{"certificate":"Y2VydA==","transparency_entries":[{}]},"envelope":{"statement":%q,"signature":"c2ln"}}`,
		base64.StdEncoding.EncodeToString([]byte(st)))
}

func TestTrustedPublishingUploads(t *testing.T) {
	t.Parallel()
	iss := NewIssuer()
	t.Cleanup(iss.Close)
	srv := NewServer(WithIssuer(iss))
	t.Cleanup(srv.Close)
	srv.AddPublisher(iss.Run().Publisher("demo"))
	auth := tokenAuth(mintFor(t, srv, iss))
	name, content := Dist{Name: "demo", Version: "1.0"}.Build()
	form := newTestForm(name, content)
	sha := form.value("sha256_digest")
	const publish = "https://docs.pypi.org/attestations/publish/v1"
	for _, tc := range []struct{ attestations, want string }{
		{"[" + attestationFor(name, sha, "https://example.com/x") + "]", attestationsPrefix + "Attestation with unsupported predicate type: https://example.com/x"},
		{"[" + attestationFor("other-1.0.tar.gz", sha, publish) + "]", attestationsPrefix + "Could not verify the uploaded artifact using the included attestation: Subject does not match distribution"},
		{"[" + attestationFor(name, sha, publish) + "," + attestationFor(name, sha, publish) + "]", attestationsPrefix + "Multiple attestations for the same file with the same predicate type (" + publish + ") are not supported"},
		{"[]", attestationsPrefix + "Malformed attestations: an empty attestation set is not permitted"},
	} {
		resp, _ := sendForm(t, srv, "/legacy/", newTestForm(name, content).set("attestations", tc.attestations), auth, "")
		if resp.Status != "400 "+tc.want {
			t.Errorf("answer %s\nwant   400 %s", resp.Status, tc.want)
		}
	}
	att := "[" + attestationFor(name, sha, publish) + "]"
	if resp, _ := sendForm(t, srv, "/legacy/", form.set("attestations", att), auth, ""); resp.StatusCode != 200 {
		t.Fatalf("upload with attestation: %s", resp.Status)
	}
	f, _ := srv.File(name)
	if f.Attestations != att || f.Uploader.Publisher == nil || f.Uploader.Publisher.Project != "demo" {
		t.Errorf("stored %+v", f)
	}

	other, content := Dist{Name: "newproject", Version: "1.0"}.Build()
	resp, _ := sendForm(t, srv, "/legacy/", newTestForm(other, content), auth, "")
	if resp.StatusCode != 400 || !strings.Contains(resp.Status, "Non-user identities cannot create new projects.") {
		t.Errorf("new project by a publisher: %s", resp.Status)
	}
}
