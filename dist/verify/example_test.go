package verify_test

import (
	"fmt"

	"github.com/trustpub/pypi/dist/verify"
)

func ExampleRequiresDist() {
	fmt.Println(verify.RequiresDist("requests>=2.31; python_version >= '3.8'"))
	err := verify.RequiresDist("foo@https://example.com/foo.whl ; python_version>'3'")
	fmt.Println(err.(*verify.Error).Reply())
	// Output:
	// <nil>
	// Can't have direct dependency: foo @ https://example.com/foo.whl ; python_version > "3". See https://packaging.python.org/specifications/core-metadata for more information.
}

func ExampleParseRequirement() {
	_, err := verify.ParseRequirement("Foo (1.0)")
	fmt.Println(err)
	// Output:
	// Expected matching RIGHT_PARENTHESIS for LEFT_PARENTHESIS, after version specifier
	//     Foo (1.0)
	//         ~^
}

func ExampleCanonicalLicenseExpression() {
	expr, err := verify.CanonicalLicenseExpression("mit or (apache-2.0 with llvm-exception)")
	fmt.Println(expr, err)
	_, err = verify.CanonicalLicenseExpression("MIT OR Foo")
	fmt.Println(err)
	// Output:
	// MIT OR (Apache-2.0 WITH LLVM-exception) <nil>
	// Unknown license: 'foo'
}

func ExampleEmail() {
	fmt.Println(verify.Email("author-email", "Jane Doe <jane@example.com>"))
	fmt.Println(verify.Email("author-email", "a@x.com, b@localhost")) // two addresses: PyPI checks neither
	err := verify.Email("maintainer-email", "Foo <foo@localhost>")
	fmt.Println(err.(*verify.Error).Message)
	// Output:
	// <nil>
	// <nil>
	// 'foo@localhost' is not a valid email address: The part after the @-sign is not valid. It should have a period.
}

func ExampleClassifiers_Check() {
	for _, err := range verify.DefaultClassifiers().Check([]string{"Natural Language :: Ukranian", "Foo :: Bar"}) {
		fmt.Println(err.(*verify.Error).Message)
	}
	// Output:
	// 'Foo :: Bar' is not a valid classifier.
	// The classifier 'Natural Language :: Ukranian' has been deprecated, use one of ['Natural Language :: Ukrainian'] instead.
}
