package readme_test

import (
	"errors"
	"fmt"

	"github.com/trustpub/pypi/dist/readme"
)

func ExampleCheck() {
	err := readme.Check("Title\n====\n\nSee :func:`main`.\n", "")
	var e *readme.Error
	if errors.As(err, &e) {
		fmt.Println(e.Line, e.Level, e.Message)
		fmt.Println(e.PyPIMessage())
	}
	fmt.Println(readme.Check("# Title\n\nMarkdown never has syntax errors.\n", "text/markdown"))
	// Output:
	// 2 WARNING Title underline too short.
	// The description failed to render in the default format of reStructuredText. See https://pypi.org/help/#description-content-type for more information.
	// <nil>
}
