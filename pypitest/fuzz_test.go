package pypitest

import (
	"encoding/json"
	"os"
	"path/filepath"
	"regexp"
	"strings"
	"testing"
)

// addSeeds adds every file of testdata/dir to f's corpus.
func addSeeds(f *testing.F, dir string) {
	paths, err := filepath.Glob(filepath.Join("testdata", dir, "*"))
	if err != nil || len(paths) == 0 {
		f.Fatalf("no seeds in testdata/%s: %v", dir, err)
	}
	for _, p := range paths {
		b, err := os.ReadFile(p)
		if err != nil {
			f.Fatal(err)
		}
		f.Add(string(b))
	}
}

var pydanticMessage = regexp.MustCompile(`^1 validation error for TokenPayload\n(token\n)?  .+ \[type=(\w+), input_value=.*, input_type=\w+\]\n    For further information visit https://errors\.pydantic\.dev/2\.13/v/(\w+)$`)

func FuzzParseTokenPayload(f *testing.F) {
	addSeeds(f, "payloads")
	f.Fuzz(func(t *testing.T, body string) {
		token, problem := parseTokenPayload([]byte(body))
		if problem != "" {
			m := pydanticMessage.FindStringSubmatch(problem)
			if token != "" || m == nil || m[2] != m[3] {
				t.Fatalf("token %q, problem %q", token, problem)
			}
			return
		}
		var payload struct{ Token *string }
		if err := json.Unmarshal([]byte(body), &payload); err != nil || payload.Token == nil || *payload.Token != token {
			t.Fatalf("accepted %q as token %q; encoding/json: %v", body, token, err)
		}
	})
}

func FuzzDecodeUnverified(f *testing.F) {
	addSeeds(f, "jwts")
	f.Fuzz(func(t *testing.T, jwt string) {
		header, claims, ok := decodeUnverified(jwt)
		if ok != (header != nil && claims != nil) || ok && strings.Count(jwt, ".") != 2 {
			t.Fatalf("decodeUnverified(%q) = %v, %v, %v", jwt, header, claims, ok)
		}
	})
}

// FuzzMintToken posts arbitrary bodies to a real server: every answer is
// 200 with a token, 422 with exactly one error, or 500 (where Warehouse
// crashes too).
func FuzzMintToken(f *testing.F) {
	addSeeds(f, "payloads")
	iss := NewIssuer()
	f.Cleanup(iss.Close)
	srv := NewServer(WithIssuer(iss))
	f.Cleanup(srv.Close)
	srv.AddPublisher(iss.Run().Publisher("sampleproject"))
	f.Add(`{"token": "` + iss.Token("pypi") + `"}`)
	f.Fuzz(func(t *testing.T, body string) {
		status, answer := postBody(t, srv, mintTokenPath, body)
		var doc struct {
			Message string
			Errors  []struct{ Code, Description string }
			Token   string
		}
		err := json.Unmarshal([]byte(answer), &doc)
		switch {
		case status == 200 && err == nil && strings.HasPrefix(doc.Token, "pypi-"):
		case status == 422 && err == nil && doc.Message == "Token request failed" && len(doc.Errors) == 1 && doc.Errors[0].Description != "":
		case status == 500:
		default:
			t.Fatalf("body %q: answer %d %s", body, status, answer)
		}
	})
}
