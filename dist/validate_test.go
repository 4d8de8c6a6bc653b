package dist

import (
	"bytes"
	"errors"
	"os"
	"path/filepath"
	"slices"
	"testing"

	"github.com/google/go-cmp/cmp"
)

// want is one problem Check must report.
type want struct {
	Profile  Profile
	Field    string
	Rule     string
	Message  string
	Severity Severity
}

func pypiError(field, rule, msg string) want   { return want{PyPI, field, rule, msg, SeverityError} }
func pypiWarning(field, rule, msg string) want { return want{PyPI, field, rule, msg, SeverityWarning} }
func lenientError(field, rule, msg string) want {
	return want{Lenient, field, rule, msg, SeverityError}
}
func lenientWarning(field, rule, msg string) want {
	return want{Lenient, field, rule, msg, SeverityWarning}
}

//go:generate go run ./internal/gen -out testdata

// badCase is what one file of testdata/bad (written by
// go run ./dist/internal/gen) must produce: either Open fails with exactly
// the open messages, or Check reports the check problems.
type badCase struct {
	open  []string
	check []want
}

var badCases = map[string]badCase{
	"filename-extension": {open: []string{
		"Invalid file extension: Use .tar.gz, .whl or .zip extension. See https://www.python.org/dev/peps/pep-0527 and https://peps.python.org/pep-0715/ for more information",
	}},
	"filename-wrong-parts": {open: []string{
		"Invalid wheel filename (wrong number of parts): 'demo-1.0-py3-none'",
	}},
	"meta-bom": {check: []want{
		pypiError("metadata-version", "metadata-version", "None is not a valid metadata version"),
		pypiError("version", "required", "'version' is a required field"),
		lenientError("metadata-version", "metadata-version", "None is not a valid metadata version"),
		lenientError("name", "required", "'name' is a required field"),
		lenientError("version", "required", "'version' is a required field"),
	}},
	"meta-dynamic-2.1": {check: []want{
		pypiError("dynamic", "field-too-new", "dynamic introduced in metadata version 2.2, not 2.1"),
		lenientWarning("dynamic", "field-too-new", "dynamic introduced in metadata version 2.2, not 2.1"),
	}},
	"meta-import-name-2.4": {check: []want{
		pypiError("import-name", "field-too-new", "import-name introduced in metadata version 2.5, not 2.4"),
		lenientWarning("import-name", "field-too-new", "import-name introduced in metadata version 2.5, not 2.4"),
	}},
	"meta-license-expression-2.1": {check: []want{
		pypiError("license-expression", "field-too-new", "license-expression introduced in metadata version 2.4, not 2.1"),
		lenientWarning("license-expression", "field-too-new", "license-expression introduced in metadata version 2.4, not 2.1"),
	}},
	"meta-license-file-2.1": {check: []want{
		pypiWarning("license-file", "field-too-new", "license-file introduced in metadata version 2.4, not 2.1"),
		lenientWarning("license-file", "field-too-new", "license-file introduced in metadata version 2.4, not 2.1"),
	}},
	"meta-local-version": {check: []want{
		pypiError("version", "local-version", "The use of local versions in '1.0+local' is not allowed."),
	}},
	"meta-mv-2.0": {check: []want{
		pypiError("metadata-version", "metadata-version", "'2.0' is not a valid metadata version"),
		lenientError("metadata-version", "metadata-version", "'2.0' is not a valid metadata version"),
	}},
	"meta-mv-2.6": {check: []want{
		pypiError("metadata-version", "metadata-version", "'2.6' is not a valid metadata version"),
	}},
	"meta-mv-3.0": {check: []want{
		pypiError("metadata-version", "metadata-version", "'3.0' is not a valid metadata version"),
		lenientError("metadata-version", "metadata-version", "'3.0' is not a valid metadata version"),
	}},
	"meta-mv-missing": {check: []want{
		pypiError("metadata-version", "metadata-version", "None is not a valid metadata version"),
		lenientError("metadata-version", "metadata-version", "None is not a valid metadata version"),
	}},
	"meta-name-missing": {check: []want{
		lenientError("name", "required", "'name' is a required field"),
	}},
	"meta-version-missing": {check: []want{
		pypiError("version", "required", "'version' is a required field"),
		lenientError("version", "required", "'version' is a required field"),
	}},
	"sdist-absolute": {open: []string{
		"Invalid distribution file. Member '/demo-1.0/' has an unsafe path",
		"Invalid distribution file. Member '/demo-1.0/PKG-INFO' has an unsafe path",
		"Invalid distribution file. Member '/demo-1.0/pyproject.toml' has an unsafe path",
		"Invalid distribution file. Member '/demo-1.0/demo/__init__.py' has an unsafe path",
	}},
	"sdist-char-device": {open: []string{
		"Invalid distribution file. Member 'demo-1.0/tty' is a device or FIFO",
	}},
	"sdist-dot-slash": {open: []string{
		"Invalid distribution file. Member './demo-1.0/' has an unsafe path",
		"Invalid distribution file. Member './demo-1.0/PKG-INFO' has an unsafe path",
		"Invalid distribution file. Member './demo-1.0/pyproject.toml' has an unsafe path",
		"Invalid distribution file. Member './demo-1.0/demo/__init__.py' has an unsafe path",
	}},
	"sdist-dotdot": {open: []string{
		"Invalid distribution file. Member 'demo-1.0/../evil' has an unsafe path",
	}},
	"sdist-empty": {open: []string{
		"Invalid distribution file. Incorrect number of top-level directories in sdist",
	}},
	"sdist-fifo": {open: []string{
		"Invalid distribution file. Member 'demo-1.0/pipe' is a device or FIFO",
	}},
	"sdist-filename-uppercase": {check: []want{
		pypiError("filename", "filename-pep625", "Filename 'Demo-1.0.tar.gz' is invalid, should be 'demo-1.0.tar.gz'."),
		lenientWarning("filename", "filename-pep625", "Filename 'Demo-1.0.tar.gz' is invalid, should be 'demo-1.0.tar.gz'."),
	}},
	"sdist-gzip-bomb": {open: []string{
		"Invalid distribution file. File exceeds compression ratio of 50",
	}},
	"sdist-gzip-not-tar": {open: []string{
		"Invalid distribution file. File is not a tarfile",
	}},
	"sdist-hardlink-escapes": {open: []string{
		"Invalid distribution file. Member 'demo-1.0/evil' links outside the archive's top-level directory",
	}},
	"sdist-license-file-missing": {check: []want{
		pypiError("license-file", "license-file-missing", "License-File LICENSE does not exist in distribution file demo-1.0.tar.gz at demo-1.0/LICENSE"),
		lenientWarning("license-file", "license-file-missing", "License-File LICENSE does not exist in distribution file demo-1.0.tar.gz at demo-1.0/LICENSE"),
	}},
	"sdist-local-version": {check: []want{
		pypiError("version", "local-version", "The use of local versions in '1.0+local' is not allowed."),
	}},
	"sdist-name-mismatch": {check: []want{
		pypiError("filename", "filename-project", "Start filename for 'demo' with 'demo'."),
		lenientError("filename", "filename-project", "Start filename for 'demo' with 'demo'."),
	}},
	"sdist-no-pkg-info": {open: []string{
		"Invalid distribution file. PKG-INFO not found at demo-1.0/PKG-INFO",
	}},
	"sdist-not-gzip": {open: []string{
		"Invalid distribution file. File is not a tarfile",
	}},
	"sdist-pkg-info-directory": {open: []string{
		"Invalid distribution file. PKG-INFO is not a regular file",
	}},
	"sdist-pkg-info-hardlink": {open: []string{
		"Invalid distribution file. PKG-INFO is not a regular file",
	}},
	// One member: Warehouse's top-level directory (the common path) is
	// the member itself.
	"sdist-pkg-info-in-egg-info": {open: []string{
		"Invalid distribution file. PKG-INFO not found at demo-1.0/demo.egg-info/PKG-INFO/PKG-INFO",
	}},
	"sdist-pkg-info-no-metadata-version": {check: []want{
		pypiError("metadata-version", "metadata-version", "None is not a valid metadata version"),
		lenientError("metadata-version", "metadata-version", "None is not a valid metadata version"),
	}},
	"sdist-pkg-info-symlink": {open: []string{
		"Invalid distribution file. PKG-INFO is not a regular file",
	}},
	"sdist-sparse-gnu": {open: []string{
		"Invalid distribution file. tar archive not accepted: Sparse members are not allowed. See https://docs.pypi.org/archives for more information",
	}},
	"sdist-sparse-pax": {open: []string{
		"Invalid distribution file. tar archive not accepted: Sparse members are not allowed. See https://docs.pypi.org/archives for more information",
	}},
	"sdist-root-differs": {check: []want{
		pypiWarning("archive", "sdist-root", "the top-level directory is 'demo-src', not 'demo-1.0' as the file name says"),
		lenientWarning("archive", "sdist-root", "the top-level directory is 'demo-src', not 'demo-1.0' as the file name says"),
	}},
	"wheel-wheel-tags-mismatch": {check: []want{
		pypiWarning("WHEEL", "wheel-tags", "demo-1.0.dist-info/WHEEL: the Tag lines [cp312-cp312-win_amd64] differ from the file name's tags [py3-none-any]"),
		lenientWarning("WHEEL", "wheel-tags", "demo-1.0.dist-info/WHEEL: the Tag lines [cp312-cp312-win_amd64] differ from the file name's tags [py3-none-any]"),
	}},
	"zip-empty-archive": {open: []string{
		"Wheel 'demo-1.0-py3-none-any.whl' does not contain the required METADATA file: demo-1.0.dist-info/METADATA",
	}},
	"sdist-symlink-absolute": {open: []string{
		"Invalid distribution file. Member 'demo-1.0/evil' links outside the archive's top-level directory",
	}},
	"sdist-symlink-escapes": {open: []string{
		"Invalid distribution file. Member 'demo-1.0/evil' links outside the archive's top-level directory",
	}},
	"sdist-top-level-file": {open: []string{
		"Invalid distribution file. PKG-INFO not found at PKG-INFO/PKG-INFO",
	}},
	"sdist-truncated": {open: []string{
		"Invalid distribution file. Truncated or corrupt tar archive: unexpected EOF",
	}},
	"sdist-two-pkg-info": {open: []string{
		"Invalid distribution file. Multiple PKG-INFO files found at demo-1.0/PKG-INFO",
	}},
	"sdist-two-top-dirs": {open: []string{
		"Invalid distribution file. Incorrect number of top-level directories in sdist",
	}},
	// Warehouse checks an sdist's whole name: one problem, an error under
	// every profile as the versions differ.
	"sdist-version-mismatch": {check: []want{
		pypiError("filename", "filename-version", "Filename 'demo-1.0.tar.gz' is invalid, should be 'demo-2.0.tar.gz'."),
		lenientError("filename", "filename-version", "Filename 'demo-1.0.tar.gz' is invalid, should be 'demo-2.0.tar.gz'."),
	}},
	"sdist-version-noncanonical": {check: []want{
		pypiError("filename", "filename-pep625", "Filename 'demo-1.02.tar.gz' is invalid, should be 'demo-1.2.tar.gz'."),
		lenientWarning("filename", "filename-pep625", "Filename 'demo-1.02.tar.gz' is invalid, should be 'demo-1.2.tar.gz'."),
	}},
	"sdist-zip": {check: []want{
		pypiError("filename", "filename-pep625", "Filename 'demo-1.0.zip' is invalid, should be 'demo-1.0.tar.gz'."),
		lenientWarning("filename", "filename-pep625", "Filename 'demo-1.0.zip' is invalid, should be 'demo-1.0.tar.gz'."),
	}},
	"wheel-dist-info-uppercase": {check: []want{
		pypiError("archive", "dist-info-name", "Invalid distribution file. WHEEL not found at demo-1.0.dist-info/WHEEL"),
		pypiError("archive", "metadata-missing", "Wheel 'demo-1.0-py3-none-any.whl' does not contain the required METADATA file: demo-1.0.dist-info/METADATA"),
		lenientWarning("archive", "dist-info-name", "the .dist-info directory is 'Demo-1.0.dist-info', not 'demo-1.0.dist-info' as the file name says (PyPI refuses that)"),
	}},
	"wheel-dist-info-version-differs": {check: []want{
		pypiError("archive", "dist-info-name", "Invalid distribution file. WHEEL not found at demo-1.0.dist-info/WHEEL"),
		pypiError("archive", "metadata-missing", "Wheel 'demo-1.0-py3-none-any.whl' does not contain the required METADATA file: demo-1.0.dist-info/METADATA"),
		lenientWarning("archive", "dist-info-name", "the .dist-info directory is 'demo-0.9.dist-info', not 'demo-1.0.dist-info' as the file name says (PyPI refuses that)"),
	}},
	"wheel-entry-points-bad-name": {check: []want{
		pypiError("entry_points.txt", "entry-points", "Wheel 'demo-1.0-py3-none-any.whl' has invalid entry points defined in the entry_points.txt file\ncause: line 2: Invalid entry point name 'bad name!' in 'console_scripts'"),
		lenientWarning("entry_points.txt", "entry-points", "Wheel 'demo-1.0-py3-none-any.whl' has invalid entry points defined in the entry_points.txt file\ncause: line 2: Invalid entry point name 'bad name!' in 'console_scripts'"),
	}},
	"wheel-entry-points-duplicate": {check: []want{
		pypiError("entry_points.txt", "entry-points", "Wheel 'demo-1.0-py3-none-any.whl' has invalid entry points defined in the entry_points.txt file\ncause: line 3: option 'demo' in section 'console_scripts' already exists"),
		lenientWarning("entry_points.txt", "entry-points", "Wheel 'demo-1.0-py3-none-any.whl' has invalid entry points defined in the entry_points.txt file\ncause: line 3: option 'demo' in section 'console_scripts' already exists"),
	}},
	// Valid, as for PyPI: continuation lines are streamed, not kept.
	"wheel-entry-points-lines-bomb": {},
	"wheel-entry-points-not-ini": {check: []want{
		pypiError("entry_points.txt", "entry-points", "Wheel 'demo-1.0-py3-none-any.whl' has invalid entry points defined in the entry_points.txt file\ncause: line 1: File contains no section headers."),
		lenientWarning("entry_points.txt", "entry-points", "Wheel 'demo-1.0-py3-none-any.whl' has invalid entry points defined in the entry_points.txt file\ncause: line 1: File contains no section headers."),
	}},
	"wheel-filename-dots": {check: []want{
		pypiError("filename", "filename-normalized-name", "Filename 'Demo.Pkg-1.0-py3-none-any.whl' should contain the normalized project name 'demo_pkg', not 'Demo.Pkg'."),
		lenientWarning("filename", "filename-normalized-name", "Filename 'Demo.Pkg-1.0-py3-none-any.whl' should contain the normalized project name 'demo_pkg', not 'Demo.Pkg'."),
	}},
	"wheel-filename-uppercase": {check: []want{
		pypiError("filename", "filename-normalized-name", "Filename 'Demo-1.0-py3-none-any.whl' should contain the normalized project name 'demo', not 'Demo'."),
		lenientWarning("filename", "filename-normalized-name", "Filename 'Demo-1.0-py3-none-any.whl' should contain the normalized project name 'demo', not 'Demo'."),
	}},
	"wheel-license-file-missing": {check: []want{
		pypiError("license-file", "license-file-missing", "License-File LICENSE does not exist in distribution file demo-1.0-py3-none-any.whl at demo-1.0.dist-info/licenses/LICENSE"),
		lenientWarning("license-file", "license-file-missing", "License-File LICENSE does not exist in distribution file demo-1.0-py3-none-any.whl at demo-1.0.dist-info/licenses/LICENSE"),
	}},
	"wheel-metadata-directory": {open: []string{
		"Wheel 'demo-1.0-py3-none-any.whl' does not contain the required METADATA file: demo-1.0.dist-info/METADATA",
	}},
	"wheel-metadata-missing": {open: []string{
		"Wheel 'demo-1.0-py3-none-any.whl' does not contain the required METADATA file: demo-1.0.dist-info/METADATA",
	}},
	"wheel-metadata-symlink": {open: []string{
		"Wheel 'demo-1.0-py3-none-any.whl' does not contain the required METADATA file: demo-1.0.dist-info/METADATA",
	}},
	"wheel-name-mismatch": {check: []want{
		pypiError("filename", "filename-project", "Start filename for 'demo' with 'demo'."),
		lenientError("filename", "filename-project", "Start filename for 'demo' with 'demo'."),
	}},
	"wheel-no-dist-info": {open: []string{
		"Wheel 'demo-1.0-py3-none-any.whl' does not contain the required METADATA file: demo-1.0.dist-info/METADATA",
	}},
	"wheel-no-wheel-version": {check: []want{
		pypiWarning("WHEEL", "wheel-version", "demo-1.0.dist-info/WHEEL has no Wheel-Version: pip and uv refuse to install the wheel"),
		lenientError("WHEEL", "wheel-version", "demo-1.0.dist-info/WHEEL has no Wheel-Version: pip and uv refuse to install the wheel"),
	}},
	"wheel-other-project-dist-info": {open: []string{
		".dist-info directory 'other-1.0.dist-info' does not start with 'demo'",
	}},
	"wheel-platform-linux": {check: []want{
		pypiError("filename", "platform-tag", "Binary wheel 'demo-1.0-cp312-cp312-linux_x86_64.whl' has an unsupported platform tag 'linux_x86_64'."),
	}},
	"wheel-platform-macos-minor": {check: []want{
		pypiError("filename", "platform-tag", "Binary wheel 'demo-1.0-cp312-cp312-macosx_11_2_arm64.whl' has an unsupported platform tag 'macosx_11_2_arm64'."),
	}},
	"wheel-platform-one-of-two": {check: []want{
		pypiError("filename", "platform-tag", "Binary wheel 'demo-1.0-cp312-cp312-manylinux_2_17_x86_64.linux_x86_64.whl' has an unsupported platform tag 'linux_x86_64'."),
	}},
	"wheel-prefix-project-dist-info": {open: []string{
		".dist-info directory 'demonic-1.0.dist-info' does not start with 'demo'",
	}},
	"wheel-record-md5": {check: []want{
		pypiWarning("RECORD", "record-weak-hash", "demo-1.0.dist-info/RECORD: demo/__init__.py has a md5 hash; use sha256 or better"),
		lenientWarning("RECORD", "record-weak-hash", "demo-1.0.dist-info/RECORD: demo/__init__.py has a md5 hash; use sha256 or better"),
	}},
	"wheel-record-mismatch": {check: []want{
		pypiWarning("RECORD", "record-mismatch", "demo-1.0.dist-info/RECORD does not match the archive: 3 file(s) not listed [demo-1.0.dist-info/METADATA demo-1.0.dist-info/WHEEL demo-1.0.dist-info/RECORD], 0 listed but absent []"),
		lenientWarning("RECORD", "record-mismatch", "demo-1.0.dist-info/RECORD does not match the archive: 3 file(s) not listed [demo-1.0.dist-info/METADATA demo-1.0.dist-info/WHEEL demo-1.0.dist-info/RECORD], 0 listed but absent []"),
	}},
	"wheel-record-rows-bomb": {check: []want{
		pypiError("RECORD", "record-limit", "demo-1.0.dist-info/RECORD has more than 131072 rows, the limit for checking it"),
		lenientError("RECORD", "record-limit", "demo-1.0.dist-info/RECORD has more than 131072 rows, the limit for checking it"),
	}},
	"wheel-record-missing": {check: []want{
		pypiError("archive", "record-missing", "Wheel 'demo-1.0-py3-none-any.whl' does not contain the required RECORD file: demo-1.0.dist-info/RECORD"),
		lenientError("archive", "record-missing", "Wheel 'demo-1.0-py3-none-any.whl' does not contain the required RECORD file: demo-1.0.dist-info/RECORD"),
	}},
	"wheel-record-not-utf8": {check: []want{
		pypiError("RECORD", "record-invalid", "Wheel 'demo-1.0-py3-none-any.whl' does not contain the required RECORD file: demo-1.0.dist-info/RECORD\ncause: demo-1.0.dist-info/RECORD is not valid UTF-8"),
		lenientWarning("RECORD", "record-invalid", "Wheel 'demo-1.0-py3-none-any.whl' does not contain the required RECORD file: demo-1.0.dist-info/RECORD\ncause: demo-1.0.dist-info/RECORD is not valid UTF-8"),
	}},
	"wheel-two-dist-info": {open: []string{
		"multiple .dist-info directories found: demo-1.0.dist-info, Demo-1.0.dist-info",
	}},
	"wheel-version-mismatch": {check: []want{
		pypiError("filename", "filename-version", "Version in filename should be '2.0' not '1.0'."),
		lenientError("filename", "filename-version", "Version in filename should be '2.0' not '1.0'."),
	}},
	"wheel-version-noncanonical": {check: []want{
		pypiWarning("filename", "filename-canonical", "Filename 'demo-1.0RC1-py3-none-any.whl' is not canonical, should be 'demo-1.0rc1-py3-none-any.whl'."),
		lenientWarning("filename", "filename-canonical", "Filename 'demo-1.0RC1-py3-none-any.whl' is not canonical, should be 'demo-1.0rc1-py3-none-any.whl'."),
	}},
	"wheel-wheel-missing": {check: []want{
		pypiError("archive", "wheel-missing", "Invalid distribution file. WHEEL not found at demo-1.0.dist-info/WHEEL"),
		pypiWarning("RECORD", "record-mismatch", "demo-1.0.dist-info/RECORD does not match the archive: 0 file(s) not listed [], 1 listed but absent [demo-1.0.dist-info/WHEEL]"),
		lenientError("archive", "wheel-missing", "Invalid distribution file. WHEEL not found at demo-1.0.dist-info/WHEEL"),
		lenientWarning("RECORD", "record-mismatch", "demo-1.0.dist-info/RECORD does not match the archive: 0 file(s) not listed [], 1 listed but absent [demo-1.0.dist-info/WHEEL]"),
	}},
	"wheel-wheel-version-1.9": {check: []want{
		pypiWarning("WHEEL", "wheel-version", "demo-1.0.dist-info/WHEEL: Wheel-Version 1.9 is newer than 1.0"),
		lenientWarning("WHEEL", "wheel-version", "demo-1.0.dist-info/WHEEL: Wheel-Version 1.9 is newer than 1.0"),
	}},
	"wheel-wheel-version-2": {check: []want{
		pypiWarning("WHEEL", "wheel-version", "demo-1.0.dist-info/WHEEL: Wheel-Version 2.0 is not supported (only 1.x is): pip and uv refuse to install the wheel"),
		lenientError("WHEEL", "wheel-version", "demo-1.0.dist-info/WHEEL: Wheel-Version 2.0 is not supported (only 1.x is): pip and uv refuse to install the wheel"),
	}},
	"zip-absolute-path": {open: []string{
		"Invalid distribution file. Member '/etc/evil' has an unsafe path",
	}},
	"zip-backslash-path": {open: []string{
		"Invalid distribution file. Member 'demo\\\\evil.py' has an unsafe path",
	}},
	"zip-bomb": {open: []string{
		"Invalid distribution file. File exceeds compression ratio of 50",
	}},
	"zip-bzip2": {check: []want{
		pypiError("archive", "zip-compression", "Invalid distribution file. File does not use a supported compression type"),
		lenientWarning("archive", "zip-compression", "Invalid distribution file. File does not use a supported compression type"),
	}},
	"zip-cd-comment": {check: []want{
		pypiError("archive", "zip-cd-comment", "Invalid distribution file. ZIP archive not accepted: Comment in central directory. See https://docs.pypi.org/archives for more information"),
		lenientWarning("archive", "zip-cd-comment", "Invalid distribution file. ZIP archive not accepted: Comment in central directory. See https://docs.pypi.org/archives for more information"),
	}},
	"zip-control-char-name": {open: []string{
		"Invalid distribution file. ZIP archive not accepted: Invalid character in filename. See https://docs.pypi.org/archives for more information",
	}},
	"zip-data-descriptor": {check: []want{
		pypiError("archive", "zip-data-descriptor", "Invalid distribution file. ZIP archive not accepted: ZIP contains a data descriptor. See https://docs.pypi.org/archives for more information"),
		lenientWarning("archive", "zip-data-descriptor", "Invalid distribution file. ZIP archive not accepted: ZIP contains a data descriptor. See https://docs.pypi.org/archives for more information"),
	}},
	"zip-dotdot-path": {open: []string{
		"Invalid distribution file. Member 'demo/../../evil' has an unsafe path",
	}},
	"zip-duplicate-name": {open: []string{
		"Invalid distribution file. ZIP archive not accepted: Duplicate filename in central directory. See https://docs.pypi.org/archives for more information",
	}},
	"zip-empty-file": {open: []string{
		"Invalid distribution file. File is not a zipfile",
	}},
	"zip-encrypted": {open: []string{
		"Invalid distribution file. Member 'demo/__init__.py' is encrypted",
	}},
	"zip-gap": {open: []string{
		"Invalid distribution file. ZIP archive not accepted: Unknown record signature. See https://docs.pypi.org/archives for more information",
	}},
	"zip-local-name-mismatch": {open: []string{
		"Invalid distribution file. ZIP archive not accepted: Filename not in central directory. See https://docs.pypi.org/archives for more information",
	}},
	"zip-local-size-mismatch": {open: []string{
		"Invalid distribution file. ZIP archive not accepted: Mis-matched data size. See https://docs.pypi.org/archives for more information",
	}},
	"zip-local-usize-mismatch": {open: []string{
		"Invalid distribution file. ZIP archive not accepted: Mis-matched file size. See https://docs.pypi.org/archives for more information",
	}},
	"zip-metadata-bad-crc": {open: []string{
		"Invalid distribution file. demo-1.0.dist-info/METADATA: size or CRC-32 does not match the central directory",
	}},
	"zip-metadata-inflates-more": {open: []string{
		"Invalid distribution file. demo-1.0.dist-info/METADATA: size or CRC-32 does not match the central directory",
	}},
	"zip-multi-disk": {open: []string{
		"Invalid distribution file. ZIP archive not accepted: Malformed zip file. See https://docs.pypi.org/archives for more information",
	}},
	"zip-non-utf8-name": {open: []string{
		"Invalid distribution file. ZIP archive not accepted: Filename not unicode. See https://docs.pypi.org/archives for more information",
	}},
	"zip-not-zip": {open: []string{
		"Invalid distribution file. File is not a zipfile",
	}},
	"zip-overlap": {open: []string{
		"Invalid distribution file. ZIP archive not accepted: Duplicate filename in local headers. See https://docs.pypi.org/archives for more information",
	}},
	"zip-prepended-data": {open: []string{
		"Invalid distribution file. ZIP archive not accepted: Unknown record signature. See https://docs.pypi.org/archives for more information",
	}},
	"zip64-size-overflow": {open: []string{
		"Invalid distribution file. File exceeds compression ratio of 50",
	}},
	"sdist-name-too-long": {open: []string{
		"member name 'demo-1.0/nnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnn'... is 5009 bytes long; the limit is 4096 (PATH_MAX), as no installer could extract it",
	}},
	"wheel-metadata-headers-bomb": {open: []string{
		"more than 100000 header fields, the limit for checking a metadata file",
	}},
	"wheel-wheel-tags-bomb": {check: []want{
		pypiError("WHEEL", "wheel-limit", "demo-1.0.dist-info/WHEEL is larger than 1024 KiB, the limit for checking it"),
		lenientError("WHEEL", "wheel-limit", "demo-1.0.dist-info/WHEEL is larger than 1024 KiB, the limit for checking it"),
	}},
	// Valid: a 60 MiB METADATA is read in one copy, and its description
	// checked in any of the three formats.
	"wheel-metadata-60mib-bomb":          {},
	"wheel-metadata-markdown-60mib-bomb": {},
	"wheel-metadata-rst-60mib-bomb":      {},
	"zip-record-count": {open: []string{
		"Invalid distribution file. ZIP archive not accepted: Mismatched central directory records. See https://docs.pypi.org/archives for more information",
	}},
	"zip-trailing-data": {open: []string{
		"Invalid distribution file. ZIP archive not accepted: Trailing data. See https://docs.pypi.org/archives for more information",
	}},
	"zip-truncated": {open: []string{
		"Invalid distribution file. File is not a zipfile",
	}},
	"zip-unknown-method": {open: []string{
		"Invalid distribution file. Member 'demo/__init__.py' uses unknown compression method 99",
	}},
}

// caseFile returns the one distribution file of a testdata case directory.
func caseFile(t *testing.T, dir string) string {
	t.Helper()
	entries, err := os.ReadDir(dir)
	if err != nil || len(entries) != 1 {
		t.Fatalf("%s: want exactly one file (run go run ./dist/internal/gen): %v", dir, err)
	}
	return filepath.Join(dir, entries[0].Name())
}

func TestBadInputs(t *testing.T) {
	t.Parallel()
	entries, err := os.ReadDir(filepath.Join("testdata", "bad"))
	if err != nil {
		t.Fatal(err)
	}
	var ids []string
	for _, e := range entries {
		ids = append(ids, e.Name())
		if _, ok := badCases[e.Name()]; !ok {
			t.Errorf("testdata/bad/%s has no row in badCases", e.Name())
		}
	}
	for id := range badCases {
		if !slices.Contains(ids, id) {
			t.Errorf("badCases[%q] has no file in testdata/bad", id)
		}
	}
	if len(ids) < 60 {
		t.Errorf("only %d bad inputs, want at least 60", len(ids))
	}
	for _, id := range ids {
		c, ok := badCases[id]
		if !ok {
			continue
		}
		t.Run(id, func(t *testing.T) {
			t.Parallel()
			path := caseFile(t, filepath.Join("testdata", "bad", id))
			d, err := Open(path)
			if c.open != nil {
				checkOpenError(t, path, err, c.open)
				data, rerr := os.ReadFile(path)
				if rerr != nil {
					t.Fatal(rerr)
				}
				_, err = OpenReaderAt(filepath.Base(path), bytes.NewReader(data), int64(len(data)))
				checkOpenError(t, path, err, c.open)
				return
			}
			if err != nil {
				t.Fatalf("Open: %v", err)
			}
			checkProblems(t, d, c.check)
		})
	}
}

// checkOpenError asserts that err is a *ValidationError of exactly the
// wanted messages, each an error about the file.
func checkOpenError(t *testing.T, path string, err error, msgs []string) {
	t.Helper()
	var ve *ValidationError
	if !errors.As(err, &ve) {
		t.Fatalf("Open error = %v, want a *ValidationError", err)
	}
	var got []string
	for _, p := range ve.Problems {
		got = append(got, p.Message)
		if p.File != filepath.Base(path) || p.Severity != SeverityError || p.Rule == "" {
			t.Errorf("problem %+v: want File %q, an SeverityError and a Rule", p, filepath.Base(path))
		}
	}
	if diff := cmp.Diff(msgs, got); diff != "" {
		t.Errorf("Open problems (-want +got):\n%s", diff)
	}
}

// checkProblems asserts that Check reports every wanted problem and no
// error that is not wanted, and that Validate agrees with the errors.
// The field-content problems of checkContent (tested with dist/verify)
// may come on top.
func checkProblems(t *testing.T, d *Distribution, wants []want) {
	t.Helper()
	for _, p := range []Profile{PyPI, Lenient} {
		content := map[string]bool{}
		for _, pr := range checkContent(filepath.Base(d.Path), d.Metadata, p) {
			content[pr.Field+"\x00"+pr.Message] = true
		}
		var got, gotErrors []want
		contentErrors := 0
		for _, pr := range d.Check(p) {
			w := want{p, pr.Field, pr.Rule, pr.Message, pr.Severity}
			got = append(got, w)
			switch {
			case pr.Severity != SeverityError:
			case content[pr.Field+"\x00"+pr.Message] && !slices.Contains(wants, w):
				contentErrors++
			default:
				gotErrors = append(gotErrors, w)
			}
			if pr.File != filepath.Base(d.Path) {
				t.Errorf("%s: problem %+v names file %q", p, pr, pr.File)
			}
		}
		var wantErrors []want
		for _, w := range wants {
			if w.Profile != p {
				continue
			}
			if !slices.Contains(got, w) {
				t.Errorf("%s: missing problem %+v; got %+v", p, w, got)
			}
			if w.Severity == SeverityError {
				wantErrors = append(wantErrors, w)
			}
		}
		if diff := cmp.Diff(wantErrors, gotErrors); diff != "" {
			t.Errorf("%s: errors (-want +got):\n%s", p, diff)
		}
		err := d.Validate(p)
		var ve *ValidationError
		switch {
		case len(wantErrors)+contentErrors == 0 && err != nil:
			t.Errorf("%s: Validate = %v, want nil", p, err)
		case len(wantErrors)+contentErrors > 0 && (!errors.As(err, &ve) || len(ve.Problems) != len(wantErrors)+contentErrors):
			t.Errorf("%s: Validate = %v, want %d problems", p, err, len(wantErrors)+contentErrors)
		}
	}
}

func TestGoodInputs(t *testing.T) {
	t.Parallel()
	entries, err := os.ReadDir(filepath.Join("testdata", "good"))
	if err != nil {
		t.Fatal(err)
	}
	for _, e := range entries {
		t.Run(e.Name(), func(t *testing.T) {
			t.Parallel()
			d, err := Open(caseFile(t, filepath.Join("testdata", "good", e.Name())))
			if err != nil {
				t.Fatal(err)
			}
			if d.Metadata.Name != "demo" || d.Metadata.Version != "1.0" {
				t.Errorf("metadata name, version = %q, %q; want demo, 1.0", d.Metadata.Name, d.Metadata.Version)
			}
			checkProblems(t, d, nil)
		})
	}
}
