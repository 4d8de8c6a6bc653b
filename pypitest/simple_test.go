package pypitest

import (
	"crypto/sha256"
	"encoding/hex"
	"encoding/json"
	"net/http"
	"strings"
	"testing"
)

// fetch GETs path with the Accept header, not following redirects.
func fetch(t *testing.T, srv *Server, path, accept string) (*http.Response, string) {
	t.Helper()
	req, err := http.NewRequestWithContext(t.Context(), http.MethodGet, srv.URL+path, nil)
	if err != nil {
		t.Fatal(err)
	}
	if accept != "" {
		req.Header.Set("Accept", accept)
	}
	return send(t, srv, req)
}

// storeDemo uploads a wheel and an sdist of My_Pkg 1.0 and a wheel of 2.0.
func storeDemo(t *testing.T, srv *Server) (wheel, sdist []byte) {
	t.Helper()
	for _, v := range []string{"1.0", "2.0"} {
		name, content := Dist{Name: "my_pkg", Version: v}.Build()
		if code, msg := upload(t, srv, newTestForm(name, content).set("name", "My_Pkg").set("requires_python", ">=3.9")); code != 200 {
			t.Fatalf("upload: %d %s", code, msg)
		}
		if v == "1.0" {
			wheel = content
		}
	}
	name, content := Dist{Name: "my_pkg", Version: "1.0", Sdist: true}.Build()
	if code, msg := upload(t, srv, newTestForm(name, content).set("name", "My_Pkg")); code != 200 {
		t.Fatalf("upload: %d %s", code, msg)
	}
	return wheel, content
}

func TestSimpleAPI(t *testing.T) {
	t.Parallel()
	srv := newIndexServer(t)
	wheel, _ := storeDemo(t, srv)
	sum := sha256.Sum256(wheel)
	sha := hex.EncodeToString(sum[:])

	resp, body := fetch(t, srv, "/simple/my-pkg/", simpleV1JSON)
	var page struct {
		Meta     map[string]any `json:"meta"`
		Name     string         `json:"name"`
		Versions []string       `json:"versions"`
		Files    []simpleFile   `json:"files"`
	}
	if err := json.Unmarshal([]byte(body), &page); err != nil || resp.Header.Get("Content-Type") != simpleV1JSON {
		t.Fatalf("JSON page: %v, %s: %s", err, resp.Header.Get("Content-Type"), body)
	}
	if page.Name != "my-pkg" || page.Meta["api-version"] != "1.4" || strings.Join(page.Versions, " ") != "1.0 2.0" || len(page.Files) != 3 {
		t.Errorf("page = %+v", page)
	}
	f := page.Files[0]
	if f.Filename != "my_pkg-1.0-py3-none-any.whl" || f.Hashes["sha256"] != sha || f.Size != int64(len(wheel)) ||
		f.RequiresPython == nil || *f.RequiresPython != ">=3.9" || f.CoreMetadata == false {
		t.Errorf("file entry = %+v", f)
	}
	// the file and its metadata are served where the entry says
	resp, got := fetch(t, srv, strings.TrimPrefix(f.URL, srv.URL), "")
	if resp.StatusCode != 200 || got != string(wheel) {
		t.Errorf("GET %s: %s, %d bytes", f.URL, resp.Status, len(got))
	}
	resp, meta := fetch(t, srv, strings.TrimPrefix(f.URL, srv.URL)+".metadata", "")
	msum := sha256.Sum256([]byte(meta))
	if resp.StatusCode != 200 || hex.EncodeToString(msum[:]) != f.CoreMetadata.(map[string]any)["sha256"] {
		t.Errorf("metadata: %s %q", resp.Status, meta)
	}

	resp, body = fetch(t, srv, "/simple/my-pkg/", "*/*")
	if !strings.Contains(body, `my_pkg-1.0-py3-none-any.whl#sha256=`+sha+`" data-requires-python="&gt;=3.9"`) || resp.Header.Get("Content-Type") != "text/html" {
		t.Errorf("HTML page (%s):\n%s", resp.Header.Get("Content-Type"), body)
	}
	for path, want := range map[string]int{"/simple/My_Pkg/": 301, "/simple/nope/": 404, "/pypi/My_Pkg/json": 301, "/pypi/nope/json": 404} {
		if resp, _ := fetch(t, srv, path, ""); resp.StatusCode != want {
			t.Errorf("GET %s: %s, want %d", path, resp.Status, want)
		}
	}
	if _, body := fetch(t, srv, "/simple/", simpleV1JSON); !strings.Contains(body, `{"name":"my-pkg"}`) {
		t.Errorf("project list: %s", body)
	}
}

func TestJSONAPI(t *testing.T) {
	t.Parallel()
	srv := newIndexServer(t)
	wheel, _ := storeDemo(t, srv)
	_, body := fetch(t, srv, "/pypi/my-pkg/json", "")
	var project struct {
		Info     map[string]any        `json:"info"`
		Releases map[string][]jsonFile `json:"releases"`
		URLs     []jsonFile            `json:"urls"`
	}
	if err := json.Unmarshal([]byte(body), &project); err != nil {
		t.Fatal(err)
	}
	sum := sha256.Sum256(wheel)
	if project.Info["name"] != "My_Pkg" || project.Info["version"] != "2.0" || len(project.Releases["1.0"]) != 2 || len(project.URLs) != 1 ||
		project.Releases["1.0"][0].Digests["sha256"] != hex.EncodeToString(sum[:]) || project.Releases["1.0"][1].Packagetype != "sdist" {
		t.Errorf("project JSON: %s", body)
	}
	_, body = fetch(t, srv, "/pypi/my-pkg/1.0/json", "")
	var rel struct {
		Info map[string]any `json:"info"`
		URLs []jsonFile     `json:"urls"`
	}
	if json.Unmarshal([]byte(body), &rel); rel.Info["version"] != "1.0" || len(rel.URLs) != 2 {
		t.Errorf("release JSON: %s", body)
	}
}

func TestPreferred(t *testing.T) {
	t.Parallel()
	for accept, want := range map[string]string{
		"":                        "text/html",
		"*/*":                     "text/html",
		"application/json":        "application/json",
		"text/*;q=0.5, */*;q=0.6": "application/json",
		"application/json;q=0.9, text/plain;q=0.8, text/html;q=0.7": "application/json",
		"text/plain":                            "",
		"text/html;q=0, application/json;q=0.1": "application/json",
	} {
		if got := preferred(accept, "text/html", "application/json"); got != want {
			t.Errorf("preferred(%q) = %q, want %q", accept, got, want)
		}
	}
}
