package main

import (
	"errors"
	"flag"
	"fmt"
	"io"
	"net"
	"strconv"
	"strings"
	"time"

	"github.com/trustpub/pypi/pypitest"
)

// config is what the command line asks for.
type config struct {
	addr        string
	audience    string
	run         pypitest.GitHubRun
	publishers  []string // -publisher specs, resolved against run by publisherOf
	tokens      []credential
	users       []credential
	noOIDC      bool
	disableOIDC bool
	sigstore    bool

	latency       time.Duration
	bandwidth     int64
	maxFileSize   int64
	failUploads   int
	failStatus    int
	resetUploads  int
	resetAfter    int64
	loseResponses int

	tlsCert, tlsKey string

	json    bool
	verbose bool
}

// credential is a -token or -user value: a secret and the projects it may
// upload to (nil: any).
type credential struct {
	user, secret string
	projects     []string
}

// listFlag collects the values of a repeatable flag.
type listFlag []string

func (l *listFlag) String() string     { return strings.Join(*l, " ") }
func (l *listFlag) Set(v string) error { *l = append(*l, v); return nil }

// sizeFlag is a byte count written as a number with an optional binary
// (KiB, MiB, GiB) or decimal (KB, MB, GB) suffix.
type sizeFlag struct{ n *int64 }

func (s sizeFlag) String() string {
	if s.n == nil {
		return "0"
	}
	return strconv.FormatInt(*s.n, 10)
}

func (s sizeFlag) Set(v string) error {
	n, err := parseSize(v)
	if err == nil {
		*s.n = n
	}
	return err
}

var sizeUnits = []struct {
	suffix string
	factor int64
}{
	{"KiB", 1 << 10}, {"MiB", 1 << 20}, {"GiB", 1 << 30},
	{"KB", 1e3}, {"MB", 1e6}, {"GB", 1e9}, {"B", 1},
}

func parseSize(v string) (int64, error) {
	num, factor := v, int64(1)
	for _, u := range sizeUnits {
		if s, ok := strings.CutSuffix(v, u.suffix); ok {
			num, factor = s, u.factor
			break
		}
	}
	n, err := strconv.ParseInt(strings.TrimSpace(num), 10, 64)
	if err != nil || n < 0 || n > (1<<62)/factor {
		return 0, fmt.Errorf("%q is not a size in bytes (e.g. 1048576, 512KiB, 10MB)", v)
	}
	return n * factor, nil
}

// parseFlags reads the command line; the error has been printed to
// stderr already.
func parseFlags(args []string, stderr io.Writer) (*config, error) {
	c := &config{maxFileSize: 100 << 20}
	fs := flag.NewFlagSet("pypitest-server", flag.ContinueOnError)
	fs.SetOutput(stderr)
	fs.Usage = func() {
		fmt.Fprintln(stderr, "Usage: pypitest-server [flags]\n\n"+
			"Runs a fake PyPI and a fake GitHub Actions OIDC issuer on loopback, prints\n"+
			"their URLs as KEY=value lines, and serves until interrupted.\n\nFlags:")
		fs.PrintDefaults()
	}
	var publishers, tokens, users listFlag
	var repo string
	fs.StringVar(&c.addr, "addr", "127.0.0.1:0", "`host:port` of the index, on loopback; port 0 picks a free one")
	fs.StringVar(&c.audience, "audience", "pypi", "audience the index announces and requires (TestPyPI's is testpypi)")
	fs.Var(&publishers, "publisher", "register a trusted publisher (repeatable): `project`, matching the issuer's job, "+
		"or project=owner/repo/workflow.yml[@environment]")
	fs.Var(&tokens, "token", "accept an API token for uploads as __token__ (repeatable): `pypi-SECRET[=project,...]`")
	fs.Var(&users, "user", "accept a username and password for uploads (repeatable): `name:password[=project,...]`")
	fs.StringVar(&repo, "repository", "octo-org/sampleproject", "`owner/name` of the GitHub repository the issuer's job runs in")
	fs.StringVar(&c.run.OwnerID, "owner-id", "131804563", "numeric GitHub ID of the repository's owner")
	fs.StringVar(&c.run.Workflow, "workflow", "release.yml", "workflow `file` name of the issuer's job")
	fs.StringVar(&c.run.Ref, "ref", "refs/heads/main", "git `ref` of the issuer's job")
	fs.StringVar(&c.run.Environment, "environment", "", "deployment `environment` of the issuer's job (none if empty)")
	fs.BoolVar(&c.noOIDC, "no-trusted-publishing", false, "be an index without trusted publishing: /_/oidc/ answers 404")
	fs.BoolVar(&c.disableOIDC, "disable-trusted-publishing", false, "set PyPI's admin switch that turns trusted publishing off")
	fs.BoolVar(&c.sigstore, "sigstore", false, "also run a fake Sigstore (Fulcio and Rekor) trusting the issuer, for PEP 740 attestations")
	fs.DurationVar(&c.latency, "latency", 0, "delay every answer of the upload, simple and JSON APIs by this `duration`")
	fs.Var(sizeFlag{&c.bandwidth}, "bandwidth", "read upload bodies at most this many `bytes` per second (0: unlimited)")
	fs.Var(sizeFlag{&c.maxFileSize}, "max-file-size", "largest file accepted, in `bytes` (PyPI's default 100MiB)")
	fs.IntVar(&c.failUploads, "fail-uploads", 0, "answer the first `n` uploads with -fail-status instead of judging them")
	fs.IntVar(&c.failStatus, "fail-status", 503, "HTTP `status` of -fail-uploads' answers (an HTML error page)")
	fs.IntVar(&c.resetUploads, "reset-uploads", 0, "cut the connection of the first `n` uploads after -reset-after body bytes")
	fs.Var(sizeFlag{&c.resetAfter}, "reset-after", "body `bytes` read before -reset-uploads cuts the connection")
	fs.IntVar(&c.loseResponses, "lose-responses", 0, "store the first `n` uploads but close the connection without answering")
	fs.StringVar(&c.tlsCert, "tls-cert", "", "serve HTTPS with the PEM certificate chain in this `file`, offering HTTP/2 and HTTP/1.1 as PyPI does (needs -tls-key)")
	fs.StringVar(&c.tlsKey, "tls-key", "", "the PEM private key `file` of -tls-cert")
	fs.BoolVar(&c.json, "json", false, "print the URLs and environment as one JSON object instead of KEY=value lines")
	fs.BoolVar(&c.verbose, "v", false, "log every upload and minted token to stderr")
	if err := fs.Parse(args); err != nil {
		return nil, err
	}
	err := c.resolve(fs, repo, publishers, tokens, users)
	if err != nil {
		fmt.Fprintf(stderr, "pypitest-server: %v\n", err)
		fs.Usage()
	}
	return c, err
}

// resolve checks the flags and parses the structured ones.
func (c *config) resolve(fs *flag.FlagSet, repo string, publishers, tokens, users []string) error {
	if fs.NArg() > 0 {
		return fmt.Errorf("unexpected argument %q", fs.Arg(0))
	}
	host, _, err := net.SplitHostPort(c.addr)
	if err != nil {
		return fmt.Errorf("-addr %q: %v", c.addr, err)
	}
	if ip := net.ParseIP(host); host != "localhost" && (ip == nil || !ip.IsLoopback()) {
		return fmt.Errorf("-addr %q: the server listens on loopback only (127.0.0.1, ::1 or localhost)", c.addr)
	}
	owner, name, ok := strings.Cut(repo, "/")
	if !ok || owner == "" || name == "" || strings.Contains(name, "/") {
		return fmt.Errorf("-repository %q: want owner/name", repo)
	}
	c.run.Owner, c.run.Repository = owner, name
	for _, p := range publishers {
		if _, err := c.publisherOf(p); err != nil {
			return err
		}
	}
	c.publishers = publishers
	for _, t := range tokens {
		secret, projects := splitProjects(t)
		if !strings.HasPrefix(secret, "pypi-") || secret == "pypi-" {
			return errors.New("-token: an API token starts with pypi- and has more after it") // not echoed: it may be a real secret
		}
		c.tokens = append(c.tokens, credential{user: "pypitest", secret: secret, projects: projects})
	}
	for _, u := range users {
		pair, projects := splitProjects(u)
		user, password, ok := strings.Cut(pair, ":")
		if !ok || user == "" || user == "__token__" {
			return fmt.Errorf("-user %q: want name:password, with a name other than __token__", user)
		}
		c.users = append(c.users, credential{user: user, secret: password, projects: projects})
	}
	if (c.tlsCert == "") != (c.tlsKey == "") {
		return errors.New("-tls-cert and -tls-key go together")
	}
	if c.failStatus < 100 || c.failStatus > 599 {
		return fmt.Errorf("-fail-status %d is not an HTTP status", c.failStatus)
	}
	if c.failUploads < 0 || c.resetUploads < 0 || c.loseResponses < 0 || c.latency < 0 {
		return errors.New("-fail-uploads, -reset-uploads, -lose-responses and -latency cannot be negative")
	}
	return nil
}

// splitProjects splits "value=p1,p2" into the value and the projects.
func splitProjects(v string) (string, []string) {
	value, list, ok := strings.Cut(v, "=")
	if !ok || list == "" {
		return value, nil
	}
	return value, strings.Split(list, ",")
}

// publisherOf parses a -publisher value.
func (c *config) publisherOf(spec string) (pypitest.GitHubPublisher, error) {
	project, where, ok := strings.Cut(spec, "=")
	if project == "" {
		return pypitest.GitHubPublisher{}, fmt.Errorf("-publisher %q: the project is missing", spec)
	}
	if !ok {
		return c.run.Publisher(project), nil
	}
	where, env, _ := strings.Cut(where, "@")
	parts := strings.Split(where, "/")
	if len(parts) != 3 || parts[0] == "" || parts[1] == "" || parts[2] == "" {
		return pypitest.GitHubPublisher{}, fmt.Errorf("-publisher %q: want project=owner/repo/workflow.yml[@environment]", spec)
	}
	return pypitest.GitHubPublisher{Project: project, RepositoryOwner: parts[0], RepositoryOwnerID: c.run.OwnerID,
		Repository: parts[1], WorkflowFilename: parts[2], Environment: env}, nil
}
