package attest_test

import (
	"crypto/sha256"
	"errors"
	"fmt"
	"os"

	"github.com/trustpub/pypi/attest"
)

func ExampleNewStatement() {
	stmt := attest.NewStatement("demo-1.0.tar.gz", sha256.Sum256([]byte("x")))
	fmt.Println(string(stmt))
	fmt.Printf("%q\n", attest.PAE(attest.PayloadType, []byte("{}")))
	fmt.Println(attest.Filename("demo-1.0.tar.gz"))
	// Output:
	// {"_type":"https://in-toto.io/Statement/v1","subject":[{"name":"demo-1.0.tar.gz","digest":{"sha256":"2d711642b726b04401627ca9fbac32f5c8530fb1903cc4db02258717921a4881"}}],"predicateType":"https://docs.pypi.org/attestations/publish/v1","predicate":null}
	// "DSSEv1 28 application/vnd.in-toto+json 2 {}"
	// demo-1.0.tar.gz.publish.attestation
}

func ExampleParse() {
	b, err := os.ReadFile("testdata/attestation.json")
	if err != nil {
		panic(err)
	}
	a, err := attest.Parse(b)
	if err != nil {
		panic(err)
	}
	st, err := a.Statement()
	if err != nil {
		panic(err)
	}
	fmt.Println(st.Subject[0].Name, st.PredicateType)
	bundle, err := a.Bundle()
	if err != nil {
		panic(err)
	}
	back, err := attest.FromBundle(bundle)
	fmt.Println(err == nil && string(back.Envelope.Statement) == string(a.Envelope.Statement))
	// Output:
	// demo-1.0.tar.gz https://docs.pypi.org/attestations/publish/v1
	// true
}

func ExampleAttestation_Verify() {
	rootJSON, err := os.ReadFile("testdata/trusted_root.json")
	if err != nil {
		panic(err)
	}
	root, err := attest.ParseTrustedRoot(rootJSON)
	if err != nil {
		panic(err)
	}
	b, err := os.ReadFile("testdata/attestation.json")
	if err != nil {
		panic(err)
	}
	a, err := attest.Parse(b)
	if err != nil {
		panic(err)
	}
	publisher := attest.GitHubPublisher{Repository: "octo/demo", Workflow: "release.yml"}
	_, err = a.Verify(root, publisher, attest.Subject{Filename: "demo-1.0.tar.gz", SHA256: sha256.Sum256([]byte("x"))})
	var ve *attest.VerificationError
	if errors.As(err, &ve) {
		// testdata's log signatures are placeholders.
		fmt.Println(ve.Check)
		fmt.Println(err)
		fmt.Println(ve.PyPIMessage())
	}
	// Output:
	// signed entry timestamp
	// attest: signed entry timestamp: invalid signed entry timestamp: invalid signature
	// Verification failed: transparency log threshold not met: 0 < 1
}
