package main

import (
	"bytes"
	"context"
	"encoding/base64"
	"encoding/json"
	"fmt"
	"io"
	"net/http"
	"net/http/httptest"
	"net/url"
	"os"
	"path/filepath"
	"regexp"
	"slices"
	"strings"
	"sync"
	"testing"

	"github.com/trustpub/pypi/examples/quickstart/sampledist"
	"github.com/trustpub/pypi/pypitest"
)

// window is the length of the pieces of a secret that must not show.
const window = 12

// secretShapes returns secret as a hostile server may echo it.
func secretShapes(secret string) []string {
	var pct strings.Builder
	for i := range len(secret) {
		fmt.Fprintf(&pct, "%%%02X", secret[i])
	}
	split := func(every int) string {
		var b strings.Builder
		for i := 0; i < len(secret); i += every {
			b.WriteString("<b>" + secret[i:min(i+every, len(secret))] + "</b>")
		}
		return b.String()
	}
	shapes := []string{secret, url.QueryEscape(secret), pct.String(), split(3), split(1),
		base64.StdEncoding.EncodeToString([]byte("__token__:" + secret))}
	for align := range 3 {
		b := append(bytes.Repeat([]byte("x"), align), secret...)
		shapes = append(shapes, base64.StdEncoding.EncodeToString(b), base64.RawURLEncoding.EncodeToString(b))
	}
	return shapes
}

// echoPage is an HTML error page that shows each secret in every shape,
// the first ones around the point where a message is cut short.
func echoPage(secrets []string) string {
	var b strings.Builder
	b.WriteString("<html><body><h1>400 Bad Request</h1>The server could not comply.<br/><br/>")
	b.WriteString(strings.Repeat("filler ", 1010/7))
	for _, s := range secrets {
		for i, shape := range secretShapes(s) {
			if i == 4 && len(s) > 200 {
				continue // one character a tag: too long to fit in the 64 KiB of a body read
			}
			b.WriteString(" " + shape)
		}
	}
	b.WriteString("</body></html>")
	return b.String()
}

// evil sits in front of a fake PyPI and its GitHub issuer, passing
// requests through, learning every secret on the way, and echoing them
// all, in every shape, at the step named by echoAt: "oidc", "mint" or
// "upload".
type evil struct {
	srv, iss string
	echoAt   string
	mu       sync.Mutex
	secrets  []string
}

func (e *evil) learn(s ...string) {
	e.mu.Lock()
	defer e.mu.Unlock()
	for _, v := range s {
		if v != "" && !slices.Contains(e.secrets, v) {
			e.secrets = append(e.secrets, v)
		}
	}
}

func (e *evil) known() []string {
	e.mu.Lock()
	defer e.mu.Unlock()
	return append([]string(nil), e.secrets...)
}

func (e *evil) ServeHTTP(w http.ResponseWriter, r *http.Request) {
	body, _ := io.ReadAll(r.Body)
	auth := r.Header.Get("Authorization")
	if scheme, v, ok := strings.Cut(auth, " "); ok && strings.EqualFold(scheme, "bearer") {
		e.learn(v)
	} else if dec, err := base64.StdEncoding.DecodeString(strings.TrimPrefix(auth, "Basic ")); err == nil {
		_, pass, _ := strings.Cut(string(dec), ":")
		e.learn(pass)
	}
	var sent struct{ Token string }
	json.Unmarshal(body, &sent)
	e.learn(sent.Token)
	step, target := "upload", e.srv
	switch {
	case strings.HasPrefix(r.URL.Path, "/_apis/"):
		step, target = "oidc", e.iss
	case r.URL.Path == "/_/oidc/mint-token":
		step = "mint"
	case r.URL.Path == "/_/oidc/audience":
		step = "audience"
	}
	if step == e.echoAt {
		page := echoPage(e.known())
		switch step {
		case "mint":
			reasons, _ := json.Marshal(map[string]any{"errors": []map[string]string{{"code": "invalid-payload", "description": page}}})
			w.Header().Set("Content-Type", "application/json")
			w.WriteHeader(http.StatusUnprocessableEntity)
			w.Write(reasons)
		default:
			w.Header().Set("Content-Type", "text/html")
			w.Header().Set("Location", "/elsewhere/"+url.PathEscape(strings.Join(e.known(), "/")))
			w.WriteHeader(http.StatusForbidden)
			io.WriteString(w, page)
		}
		return
	}
	req, _ := http.NewRequest(r.Method, target+r.URL.RequestURI(), bytes.NewReader(body))
	req.Header = r.Header.Clone()
	resp, err := http.DefaultClient.Do(req)
	if err != nil {
		http.Error(w, err.Error(), http.StatusBadGateway)
		return
	}
	defer resp.Body.Close()
	answer, _ := io.ReadAll(resp.Body)
	var got struct{ Value, Token string }
	json.Unmarshal(answer, &got)
	e.learn(got.Value, got.Token)
	for k, v := range resp.Header {
		w.Header()[k] = v
	}
	w.WriteHeader(resp.StatusCode)
	w.Write(answer)
}

var tagPattern = regexp.MustCompile(`<[^>]*>`)

// views returns text as printed, with JSON's escapes undone, and with
// HTML tags and then all spaces taken out.
func views(text string) []string {
	unescaped := strings.NewReplacer(`\u003c`, "<", `\u003e`, ">", `\u0026`, "&", `\/`, "/", `\"`, `"`).Replace(text)
	stripped := tagPattern.ReplaceAllString(unescaped, "")
	return []string{text, unescaped, stripped, strings.Join(strings.Fields(stripped), "")}
}

// secretParts returns the parts of secret's shapes that carry nothing
// but the secret: whole for the plain shapes, without the characters
// that also encode the bytes around it for the base64 ones.
func secretParts(secret string) []string {
	shapes := secretShapes(secret)
	parts := append(shapes[:3:3], tagPattern.ReplaceAllString(shapes[3], ""))
	b64 := func(enc string, prefix int) string {
		lo, hi := (prefix*8+5)/6+1, len(enc)-4
		if hi <= lo {
			return ""
		}
		return enc[lo:hi]
	}
	parts = append(parts, b64(shapes[5], len("__token__:")))
	for align := range 3 {
		parts = append(parts, b64(shapes[6+2*align], align), b64(shapes[7+2*align], align))
	}
	return parts
}

// leak returns a window-long piece of a secret's shape that text shows,
// outside the ::add-mask:: commands, or "".
func leak(text string, secrets []string) string {
	var lines []string
	for _, line := range strings.Split(text, "\n") {
		if !strings.HasPrefix(line, "::add-mask::") {
			lines = append(lines, line)
		}
	}
	vs := views(strings.Join(lines, "\n"))
	for _, s := range secrets {
		if s == "" {
			continue
		}
		for _, part := range secretParts(s) {
			for i := 0; i+window <= len(part); i++ {
				for _, v := range vs {
					if strings.Contains(v, part[i:i+window]) {
						return part[i : i+window]
					}
				}
			}
		}
	}
	return ""
}

// TestNoSecretInAnyOutput runs the program against servers that echo
// every secret of the run (the API token or password, the token request
// token, the identity token and the minted token) in every shape, at each
// step, and looks for any piece of them in every output: stdout, stderr,
// the --json document, the job summary, the step outputs and the log.
func TestNoSecretInAnyOutput(t *testing.T) {
	t.Parallel()
	for _, tt := range []struct {
		echoAt string
		token  string // an API token instead of Trusted Publishing
	}{
		{"oidc", ""}, {"mint", ""}, {"upload", ""}, {"upload", "pypi-AgEIcHlwaS5vcmcCJDAwMDAtYXBpLXRva2VuLWZvci10ZXN0cw"},
	} {
		for _, jsonOut := range []bool{false, true} {
			t.Run(fmt.Sprintf("%s/token=%t/json=%t", tt.echoAt, tt.token != "", jsonOut), func(t *testing.T) {
				t.Parallel()
				iss := pypitest.NewIssuer()
				t.Cleanup(iss.Close)
				srv := pypitest.NewServer(pypitest.WithIssuer(iss))
				t.Cleanup(srv.Close)
				srv.AddPublisher(iss.Run().Publisher("sampleproject"))
				if tt.token != "" {
					srv.AddAPIToken("alice", tt.token)
				}
				e := &evil{srv: srv.URL, iss: iss.URL, echoAt: tt.echoAt}
				proxy := httptest.NewServer(e)
				t.Cleanup(proxy.Close)
				dir := t.TempDir()
				if _, err := (sampledist.Project{Name: "sampleproject", Version: "1.0.0"}).Build(dir); err != nil {
					t.Fatal(err)
				}
				env := iss.Env()
				env["ACTIONS_ID_TOKEN_REQUEST_URL"] = strings.Replace(env["ACTIONS_ID_TOKEN_REQUEST_URL"], iss.URL, proxy.URL, 1)
				env["GITHUB_OUTPUT"] = filepath.Join(t.TempDir(), "output")
				args := []string{"--repository-url", proxy.URL + "/legacy/", "-v"}
				if tt.token != "" {
					args = append(args, "-u", "__token__", "-p", tt.token)
				}
				if jsonOut {
					args = append(args, "--json")
				}
				var stdout, stderr bytes.Buffer
				code := run(context.Background(), append(args, dir), &stdout, &stderr, func(k string) string { return env[k] }, false)
				summary, _ := os.ReadFile(env["GITHUB_STEP_SUMMARY"])
				outputs, _ := os.ReadFile(env["GITHUB_OUTPUT"])
				secrets := append(e.known(), env["ACTIONS_ID_TOKEN_REQUEST_TOKEN"], tt.token)
				if code != 1 || len(e.known()) == 0 {
					t.Fatalf("exit %d, secrets seen %d; want a failure after the server saw secrets\n%s\n%s", code, len(e.known()), stdout.String(), stderr.String())
				}
				for name, text := range map[string]string{"stdout": stdout.String(), "stderr": stderr.String(), "summary": string(summary), "outputs": string(outputs)} {
					if w := leak(text, secrets); w != "" {
						t.Errorf("%s shows %q:\n%s", name, w, text)
					}
				}
				if !strings.Contains(stdout.String()+stderr.String(), "[redacted]") {
					t.Errorf("nothing was redacted: was anything echoed?\n%s\n%s", stdout.String(), stderr.String())
				}
			})
		}
	}
}
