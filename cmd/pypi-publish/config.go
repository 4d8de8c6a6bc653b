package main

import (
	"cmp"
	"crypto/tls"
	"crypto/x509"
	"errors"
	"flag"
	"fmt"
	"io"
	"math"
	"net/http"
	"net/url"
	"strconv"
	"strings"
	"time"

	"github.com/trustpub/pypi"
	"github.com/trustpub/pypi/attest"
	"github.com/trustpub/pypi/internal/gha"
	"github.com/trustpub/pypi/upload"
)

// config is what the command line, the environment and (under GitHub
// Actions) the action's inputs ask for.
type config struct {
	paths          []string
	repository     string // a .pypirc section (-r, TWINE_REPOSITORY); "" is pypi
	repositoryURL  string
	configFile     string // the .pypirc (--config-file)
	index          string // a [[tool.uv.index]] of pyproject.toml (--index)
	checkURL       string // the index's simple API (--check-url)
	username       string
	password       string
	token          string
	trusted        string // auto, always, never
	checks         string // auto, pypi, lenient
	skipExisting   bool
	strictExisting bool
	noAttestations bool
	comment        string
	cert           string // a PEM CA bundle trusted besides the system's
	clientCert     string // a PEM file with a client certificate and its key
	noProgress     bool
	nonInteractive bool
	sign           []string     // the GPG signing flags given, refused
	httpClient     *http.Client // nil, or one trusting cert and showing clientCert
	verify         bool
	attestations   bool
	sigstore       sigstoreConfig // another Sigstore than the public-good one
	signer         *attest.Signer // nil, or one of sigstore's
	concurrency    int
	timeout        time.Duration // 0: the library's default
	printHash      bool
	dryRun         bool
	json           bool
	verbose        bool

	// action is set when the inputs of gh-action-pypi-publish were read:
	// its messages and nudges apply.
	action bool
	// attestationsInput is the action's attestations input (default
	// true, as upstream): generate and send attestations when the upload
	// is by Trusted Publishing to PyPI or TestPyPI.
	attestationsInput bool
}

// errUsage marks a bad command line (exit status 2).
var errUsage = errors.New("usage")

const usageText = `Usage: pypi-publish [flags] [PATH ...]

Uploads the Python distributions in PATH (files, directories or glob
patterns; default dist) to PyPI, by Trusted Publishing when it runs in CI
and no credentials are given. Every file is checked before the first byte
is sent. Under GitHub Actions it also reads the inputs of
pypa/gh-action-pypi-publish (INPUT_USER, INPUT_PASSWORD, ...).

Usage: pypi-publish verify --trusted-root FILE --repository OWNER/REPO DIST...

Checks each distribution's PEP 740 attestations offline (see verify -h).

Flags:
`

// printFlags lists fs's flags as flag.PrintDefaults does, but each
// flag once with all its spellings (those sharing a usage text), long
// ones with two dashes: "-r, --repository name".
func printFlags(w io.Writer, fs *flag.FlagSet) {
	var order []string
	names := map[string][]string{}
	flags := map[string]*flag.Flag{}
	fs.VisitAll(func(f *flag.Flag) {
		if names[f.Usage] == nil {
			order = append(order, f.Usage)
			flags[f.Usage] = f
		}
		names[f.Usage] = append(names[f.Usage], strings.Repeat("-", min(len(f.Name), 2))+f.Name)
	})
	for _, usage := range order {
		f := flags[usage]
		arg, text := flag.UnquoteUsage(f)
		if _, isBool := f.Value.(interface{ IsBoolFlag() bool }); isBool {
			arg = ""
		}
		line := "  " + strings.Join(names[usage], ", ")
		if arg != "" {
			line += " " + arg
		}
		_, numeric := strconv.ParseFloat(f.DefValue, 64)
		switch {
		case f.DefValue == "" || f.DefValue == "false" || f.DefValue == "0":
		case numeric == nil || f.DefValue == "true":
			text += " (default " + f.DefValue + ")"
		default:
			text += fmt.Sprintf(" (default %q)", f.DefValue)
		}
		fmt.Fprintf(w, "%s\n    \t%s\n", line, strings.ReplaceAll(text, "\n", "\n    \t"))
	}
}

// newFlagSet returns a flag set named name that reports its errors to
// stderr and answers -h with usage followed by printFlags' list.
func newFlagSet(name, usage string, stderr io.Writer) *flag.FlagSet {
	fs := flag.NewFlagSet(name, flag.ContinueOnError)
	fs.SetOutput(stderr)
	fs.Usage = func() {
		fmt.Fprint(stderr, usage)
		printFlags(stderr, fs)
	}
	return fs
}

// parseConfig reads args (flags may come before, between and after the
// paths), then fills what they leave unset from TWINE_* variables and,
// under GitHub Actions, the action's inputs.
func parseConfig(args []string, getenv func(string) string, r *gha.Runner, stderr io.Writer) (*config, error) {
	c := &config{}
	fs := newFlagSet("pypi-publish", usageText, stderr)
	str := func(p *string, usage string, names ...string) {
		for _, n := range names {
			fs.StringVar(p, n, "", usage)
		}
	}
	boolean := func(p *bool, usage string, names ...string) {
		for _, n := range names {
			fs.BoolVar(p, n, false, usage)
		}
	}
	str(&c.repositoryURL, "the index's upload `URL` (default https://upload.pypi.org/legacy/; "+
		"also TWINE_REPOSITORY_URL, UV_PUBLISH_URL)", "repository-url", "publish-url")
	str(&c.repository, "the `name` of a .pypirc section: pypi (default), testpypi or one of its index-servers "+
		"(also TWINE_REPOSITORY)", "r", "repository")
	fs.StringVar(&c.configFile, "config-file", defaultPypirc, "the .pypirc `file` -r names a section of")
	str(&c.index, "the `name` of a [[tool.uv.index]] in ./pyproject.toml: its publish-url, and its url to check "+
		"(also UV_PUBLISH_INDEX)", "index")
	str(&c.checkURL, "the index's simple API `URL`, asked which files exist: skips those it has "+
		"(also UV_PUBLISH_CHECK_URL)", "check-url")
	str(&c.username, "the `username` (default __token__; also TWINE_USERNAME, UV_PUBLISH_USERNAME)", "u", "username")
	str(&c.password, "the `password` or API token (also TWINE_PASSWORD, UV_PUBLISH_PASSWORD)", "p", "password")
	str(&c.token, "an API `token` (also UV_PUBLISH_TOKEN)", "t", "token")
	fs.StringVar(&c.trusted, "trusted-publishing", "auto", "use Trusted Publishing: auto (or automatic), always or never")
	fs.StringVar(&c.checks, "checks", "auto", "rules to check the files by: auto (PyPI's for PyPI and TestPyPI), pypi or lenient")
	boolean(&c.skipExisting, "succeed for files the index already has, even with other bytes (a warning names both sha256)", "skip-existing")
	boolean(&c.strictExisting, "with --skip-existing, fail for a file the index has with other bytes", "strict-existing")
	boolean(&c.noAttestations, "neither make nor send PEP 740 attestations (also UV_PUBLISH_NO_ATTESTATIONS)", "no-attestations")
	str(&c.comment, "a `comment` sent with each file", "c", "comment")
	str(&c.cert, "a PEM `file` of CA certificates to trust besides the system's (also TWINE_CERT)", "cert")
	str(&c.clientCert, "a PEM `file` holding a TLS client certificate and its key (also TWINE_CLIENT_CERT)", "client-cert")
	boolean(&c.noProgress, "show no progress bars", "disable-progress-bar")
	boolean(&c.nonInteractive, "never prompt (this program never does; also TWINE_NON_INTERACTIVE)", "non-interactive")
	for _, n := range []string{"s", "sign"} {
		fs.BoolFunc(n, "refused: PyPI no longer accepts GPG signatures", func(string) error {
			c.sign = append(c.sign, strings.Repeat("-", min(len(n), 2))+n)
			return nil
		})
	}
	for _, n := range []string{"sign-with", "identity"} {
		fs.Func(n, "refused: PyPI no longer accepts GPG signatures", func(string) error {
			c.sign = append(c.sign, "--"+n)
			return nil
		})
	}
	fs.BoolVar(&c.verify, "verify-metadata", true, "check the files' metadata before uploading")
	fs.BoolVar(&c.attestations, "attestations", false, "require a PEP 740 attestation with each file, signed with Sigstore under Trusted Publishing "+
		"(the default when possible) or found beside it; fail before uploading when that cannot be")
	c.sigstore.flags(fs)
	fs.IntVar(&c.concurrency, "concurrency", 4, "how many files to upload at once after the first of each release")
	fs.Func("timeout", "give up a network request after `SECONDS` without progress, or when connecting takes longer "+
		"(default 60, or UV_HTTP_TIMEOUT)", func(v string) error {
		secs, err := strconv.ParseFloat(v, 64)
		if err != nil || !(secs > 0) || secs > math.MaxInt64/float64(time.Second) {
			return errors.New("want a number of seconds above 0")
		}
		c.timeout = time.Duration(secs * float64(time.Second))
		return nil
	})
	fs.BoolVar(&c.printHash, "print-hash", false, "print the SHA256, MD5 and BLAKE2-256 of each file")
	fs.BoolVar(&c.dryRun, "dry-run", false, "check the files and print the upload forms, without fetching credentials or uploading")
	fs.BoolVar(&c.json, "json", false, "print one JSON document describing each file on stdout")
	boolean(&c.verbose, "verbose: log each step", "v", "verbose")
	paths, err := parseInterspersed(fs, args)
	if err != nil {
		return nil, err
	}
	c.paths = paths
	set := map[string]bool{}
	fs.Visit(func(f *flag.Flag) { set[f.Name] = true })
	fromEnv := func(dst *string, flags []string, vars ...string) {
		for _, f := range flags {
			if set[f] {
				return
			}
		}
		for _, v := range vars {
			if x := getenv(v); x != "" {
				*dst = x
				return
			}
		}
	}
	repoFlags := []string{"r", "repository", "repository-url", "publish-url", "index"}
	fromEnv(&c.username, []string{"u", "username"}, "TWINE_USERNAME", "UV_PUBLISH_USERNAME")
	fromEnv(&c.password, []string{"p", "password"}, "TWINE_PASSWORD", "UV_PUBLISH_PASSWORD")
	fromEnv(&c.token, []string{"t", "token"}, "UV_PUBLISH_TOKEN")
	fromEnv(&c.repositoryURL, repoFlags, "TWINE_REPOSITORY_URL", "UV_PUBLISH_URL")
	if c.repositoryURL == "" {
		fromEnv(&c.index, repoFlags, "UV_PUBLISH_INDEX")
	}
	if c.repositoryURL == "" && c.index == "" {
		fromEnv(&c.repository, repoFlags, "TWINE_REPOSITORY")
	}
	fromEnv(&c.checkURL, []string{"check-url"}, "UV_PUBLISH_CHECK_URL")
	fromEnv(&c.cert, []string{"cert"}, "TWINE_CERT")
	fromEnv(&c.clientCert, []string{"client-cert"}, "TWINE_CLIENT_CERT")
	c.nonInteractive = c.nonInteractive || envBool(getenv("TWINE_NON_INTERACTIVE"))
	c.noAttestations = c.noAttestations || envBool(getenv("UV_PUBLISH_NO_ATTESTATIONS"))
	c.sigstore.fromEnv(fromEnv)
	if r.Enabled() {
		c.readInputs(r, set)
	}
	if err := c.validate(set, stderr); err != nil {
		return nil, err
	}
	if err := c.resolveRepository(getenv); err != nil {
		fmt.Fprintf(stderr, "pypi-publish: %v\n", err)
		return nil, errUsage
	}
	signer, err := c.sigstore.signer()
	if err != nil {
		fmt.Fprintf(stderr, "pypi-publish: %v\n", err)
		return nil, errUsage
	}
	c.signer = signer
	return c, nil
}

// tlsClient is an HTTP client trusting the system's roots and the PEM
// certificates in caFile, and showing the certificate and key in the PEM
// file clientFile, as twine's --cert and --client-cert ask ("" for
// neither).
func tlsClient(caFile, clientFile string) (*http.Client, error) {
	tr := http.DefaultTransport.(*http.Transport).Clone()
	tr.TLSClientConfig = &tls.Config{MinVersion: tls.VersionTLS12}
	if caFile != "" {
		pem, err := readConfigFile(caFile)
		if err != nil {
			return nil, fmt.Errorf("--cert: %w", err)
		}
		roots, err := x509.SystemCertPool()
		if err != nil {
			roots = x509.NewCertPool()
		}
		if !roots.AppendCertsFromPEM(pem) {
			return nil, fmt.Errorf("--cert %s: no PEM certificate found", caFile)
		}
		tr.TLSClientConfig.RootCAs = roots
	}
	if clientFile != "" {
		pair, err := tls.LoadX509KeyPair(clientFile, clientFile)
		if err != nil {
			return nil, fmt.Errorf("--client-cert %s: want a PEM certificate and its private key: %w", clientFile, err)
		}
		tr.TLSClientConfig.Certificates = []tls.Certificate{pair}
	}
	return &http.Client{Transport: tr}, nil
}

// mismatchSkipped warns that --skip-existing skipped a file the index
// holds with other bytes, as twine does silently: a build that is not
// reproducible, or a file the index has that this run did not make.
func (p *publisher) mismatchSkipped(path string, m *upload.MismatchError) {
	msg := fmt.Sprintf("%s: skipped, but the index's file of this name has other bytes (index sha256 %s, local sha256 %s): "+
		"the build is not reproducible; --strict-existing makes this an error", m.File, m.IndexSHA256, m.LocalSHA256)
	if p.r.Enabled() {
		p.r.Warning(gha.Annotation{Title: "Non-reproducible build", File: path}, msg)
	} else {
		fmt.Fprintf(p.out, "warning: %s\n", msg)
	}
}

// envBool reads a boolean variable as twine does: set and not "0",
// "false" or "no" (in any case) is true.
func envBool(v string) bool {
	switch strings.ToLower(v) {
	case "", "0", "false", "no":
		return false
	}
	return true
}

// resolveRepository turns --index or -r into an upload URL (and, from
// the .pypirc, credentials and certificates the command line and
// environment left unset), and --check-url into the read API's root.
func (c *config) resolveRepository(getenv func(string) string) error {
	switch {
	case c.repositoryURL != "":
	case c.action:
		// gh-action-pypi-publish's twine reads no .pypirc of the job's:
		// the inputs decide.
	case c.index != "":
		idx, err := uvIndexByName("pyproject.toml", c.index)
		if err != nil {
			return err
		}
		c.repositoryURL = idx.publishURL
		c.checkURL = cmp.Or(c.checkURL, idx.url)
	default:
		r, err := pypircRepository(c.configFile, cmp.Or(c.repository, "pypi"), getenv)
		if err != nil {
			return err
		}
		c.repositoryURL = r.url
		c.username = cmp.Or(c.username, r.username)
		c.password = cmp.Or(c.password, r.password)
		c.cert = cmp.Or(c.cert, r.caCert)
		c.clientCert = cmp.Or(c.clientCert, r.clientCert)
	}
	if c.cert != "" || c.clientCert != "" {
		hc, err := tlsClient(c.cert, c.clientCert)
		if err != nil {
			return err
		}
		c.httpClient = hc
	}
	if c.checkURL != "" {
		// uv's check URL is the simple index; the read APIs' root is
		// above it.
		c.checkURL = strings.TrimSuffix(strings.TrimSuffix(c.checkURL, "/"), "/simple") + "/"
	}
	return nil
}

// readInputs takes gh-action-pypi-publish's inputs for whatever the
// command line left unset. The action runs this program without
// arguments, so its inputs decide; a workflow step that passes flags
// keeps them.
func (c *config) readInputs(r *gha.Runner, set map[string]bool) {
	names := []string{"user", "password", "repository-url", "packages-dir", "verify-metadata",
		"skip-existing", "verbose", "print-hash", "attestations"}
	for _, n := range names {
		if r.Input(n) != "" {
			c.action = true
		}
	}
	if !c.action {
		return
	}
	c.inputsOnly(set)
	if v := r.Input("user"); v != "" && !set["u"] && !set["username"] {
		c.username = v
	}
	if v := r.Input("password"); v != "" && !set["p"] && !set["password"] {
		c.password = v
	}
	if v := r.Input("repository-url"); v != "" && !set["repository-url"] && !set["repository"] {
		c.repositoryURL = v
	}
	if v := r.Input("packages-dir"); v != "" && len(c.paths) == 0 {
		c.paths = []string{strings.TrimRight(v, "/")}
	}
	if !set["verify-metadata"] {
		c.verify = r.BoolInput("verify-metadata", true)
	}
	if !set["skip-existing"] {
		c.skipExisting = r.BoolInput("skip-existing", false)
	}
	verbose := r.BoolInput("verbose", true)
	if !set["v"] && !set["verbose"] {
		c.verbose = verbose
	}
	if !set["print-hash"] {
		c.printHash = r.BoolInput("print-hash", true) || verbose
	}
	c.attestationsInput = r.BoolInput("attestations", true)
}

func (c *config) validate(set map[string]bool, stderr io.Writer) error {
	bad := func(format string, a ...any) error {
		fmt.Fprintf(stderr, "pypi-publish: "+format+"\n", a...)
		return errUsage
	}
	switch {
	case len(c.sign) > 0:
		return bad("%s: PyPI no longer accepts GPG signatures (it stopped in May 2023): "+
			"upload without -s/--sign/--sign-with/--identity; PEP 740 attestations (--attestations) replace them", c.sign[0])
	case (set["r"] || set["repository"] || set["index"]) && (set["repository-url"] || set["publish-url"]):
		return bad("give --repository (or --index) or --repository-url (or --publish-url), not both")
	case c.trusted != "auto" && c.trusted != "automatic" && c.trusted != "always" && c.trusted != "never":
		return bad("--trusted-publishing %q: want automatic (or auto), always or never", c.trusted)
	case c.checks != "auto" && c.checks != "pypi" && c.checks != "lenient":
		return bad("--checks %q: want auto, pypi or lenient", c.checks)
	case c.concurrency < 1:
		return bad("--concurrency %d: want 1 or more", c.concurrency)
	}
	return nil
}

// repositoryArg is the repository for pypi.Options.
func (c *config) repositoryArg() string {
	if c.repositoryURL != "" {
		return c.repositoryURL
	}
	return c.repository
}

// uploadURL is the upload URL the repository stands for.
func (c *config) uploadURL() string { return pypi.UploadURL(c.repositoryArg()) }

// displayURL is uploadURL without a password, for the log and summary.
func (c *config) displayURL() string {
	u, err := url.Parse(c.uploadURL())
	if err != nil {
		return "(an invalid URL)"
	}
	return u.Redacted()
}

// urlPassword is the password in the repository URL's user information.
func (c *config) urlPassword() string {
	if u, err := url.Parse(c.uploadURL()); err == nil {
		pw, _ := u.User.Password()
		return pw
	}
	return ""
}

// options turns the configuration into pypi.Options.
func (c *config) options() pypi.Options {
	o := pypi.Options{
		Files:          c.paths,
		Repository:     c.repositoryArg(),
		ReadAPIURL:     c.checkURL,
		Token:          c.token,
		Username:       c.username,
		Password:       c.password,
		SkipExisting:   c.skipExisting || c.checkURL != "",
		SkipMismatched: c.skipExisting && !c.strictExisting,
		Comment:        c.comment,
		HTTPClient:     c.httpClient,
		Concurrency:    c.concurrency,
		DryRun:         c.dryRun,
		Timeout:        c.timeout,
		Signer:         c.signer,
	}
	o.HashBeforeUpload = c.printHash // print-hash shows the digests with the checks
	switch {
	case c.trusted == "always":
		o.TrustedPublishing = pypi.TrustedPublishingAlways
	case c.trusted == "never":
		o.TrustedPublishing = pypi.TrustedPublishingNever
	case c.action && c.password == "" && (c.username == "" || c.username == "__token__"):
		// The action's rule: these inputs mean Trusted Publishing, and
		// its failure is fatal, even at an index without it.
		o.TrustedPublishing = pypi.TrustedPublishingAlways
	}
	switch {
	case !c.verify:
		o.Checks = pypi.ChecksNone
	case c.checks == "pypi":
		o.Checks = pypi.ChecksPyPI
	case c.checks == "lenient":
		o.Checks = pypi.ChecksLenient
	}
	switch {
	case c.noAttestations:
		o.Attestations = upload.AttestationsOff
	case c.attestations:
		o.Attestations = upload.AttestationsRequire
	case c.action && !c.attestationsInput:
		o.Attestations = upload.AttestationsOff // attestations: false
	}
	return o
}

// parseInterspersed parses args with fs, flags and operands in any order
// (as twine's and uv's parsers take them; "--" ends the flags), and
// returns the operands. It returns flag.ErrHelp for -h, else errUsage
// for a bad flag (fs has printed why).
func parseInterspersed(fs *flag.FlagSet, args []string) ([]string, error) {
	var operands []string
	for rest := args; len(rest) > 0; {
		if err := fs.Parse(rest); err != nil {
			if errors.Is(err, flag.ErrHelp) {
				return nil, err
			}
			return nil, errUsage
		}
		rest = fs.Args()
		if len(rest) > 0 {
			if rest[0] == "--" {
				return append(operands, rest[1:]...), nil
			}
			operands = append(operands, rest[0])
			rest = rest[1:]
		}
	}
	return operands, nil
}
