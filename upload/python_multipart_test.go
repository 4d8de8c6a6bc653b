package upload

import (
	"encoding/json"
	"io"
	"net/http"
	"net/http/httptest"
	"os"
	"os/exec"
	"path/filepath"
	"strconv"
	"testing"

	"github.com/google/go-cmp/cmp"

	"github.com/trustpub/pypi/internal/testenv"
)

// pythonParse reads an upload body (argv[1]: a file holding it, argv[2]:
// its Content-Type) with Python's standard parsers: "cgi" is
// cgi.FieldStorage, which WebOb (under Pyramid, Warehouse's framework)
// reads request.POST with; "email" is the email package's MIME parser.
// It prints each field in order, the file as its name and size.
const pythonParse = `
import cgi, email.parser, email.policy, io, json, sys, warnings
body = open(sys.argv[1], "rb").read()
ctype = sys.argv[2]
out = []
if sys.argv[3] == "cgi":
    warnings.simplefilter("ignore")
    env = {"REQUEST_METHOD": "POST", "CONTENT_TYPE": ctype, "CONTENT_LENGTH": str(len(body))}
    fs = cgi.FieldStorage(fp=io.BytesIO(body), environ=env, keep_blank_values=True)
    for item in fs.list:
        if item.filename:
            out.append([item.name, "file %s, %d bytes" % (item.filename, len(item.value))])
        else:
            out.append([item.name, item.value])
else:
    msg = email.parser.BytesParser(policy=email.policy.HTTP).parsebytes(
        b"Content-Type: " + ctype.encode() + b"\r\n\r\n" + body)
    for part in msg.iter_parts():
        name = part.get_param("name", header="content-disposition")
        data = part.get_payload(decode=True)
        if part.get_filename():
            out.append([name, "file %s, %d bytes" % (part.get_filename(), len(data))])
        else:
            out.append([name, data.decode()])
json.dump(out, sys.stdout)
`

// TestPythonReadsDigestsAfterFile proves that Python's multipart
// parsers, those of Warehouse's stack, read the fields sent after the
// file part as those before it: the form they find is Form's, the
// digests included.
func TestPythonReadsDigestsAfterFile(t *testing.T) {
	t.Parallel()
	python := testenv.NeedPython(t)
	var body []byte
	var ctype string
	srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		body, _ = io.ReadAll(r.Body)
		ctype = r.Header.Get("Content-Type")
	}))
	t.Cleanup(srv.Close)
	d := wheelOf(t, "demo", "1.0", "Summary: a \"quoted\" summary", "Keywords: a,b", "Classifier: Programming Language :: Python :: 3")
	c := &Client{URL: srv.URL + "/legacy/", HTTPClient: srv.Client(), Username: "u", Password: "p"}
	if _, err := c.Upload(t.Context(), d, Options{MD5: true, Comment: "multi\nline"}); err != nil {
		t.Fatal(err)
	}
	bodyFile := filepath.Join(t.TempDir(), "body")
	if err := os.WriteFile(bodyFile, body, 0o644); err != nil {
		t.Fatal(err)
	}
	// What was sent: the form without digests, the file, the digests.
	fields, err := FormWithoutDigests(d, Options{Comment: "multi\nline"})
	if err != nil {
		t.Fatal(err)
	}
	var want [][2]string
	for _, f := range fields {
		want = append(want, [2]string{f.Name, f.Value})
	}
	want = append(want, [2]string{"content", "file demo-1.0-py3-none-any.whl, " + strconv.FormatInt(d.Size, 10) + " bytes"})
	for _, f := range digestFields(sums(t, d), true) {
		want = append(want, [2]string{f.Name, f.Value})
	}
	for _, parser := range []string{"cgi", "email"} {
		t.Run(parser, func(t *testing.T) {
			if parser == "cgi" {
				testenv.NeedPython(t, "cgi") // removed in Python 3.13; WebOb then uses legacy-cgi
			}
			out, err := exec.Command(python, "-c", pythonParse, bodyFile, ctype, parser).Output()
			if err != nil {
				t.Fatalf("python: %v", err)
			}
			var got [][2]string
			if err := json.Unmarshal(out, &got); err != nil {
				t.Fatalf("python printed %q: %v", out, err)
			}
			if diff := cmp.Diff(want, got); diff != "" {
				t.Errorf("fields Python's %s parser read (-sent +read):\n%s", parser, diff)
			}
		})
	}
}
