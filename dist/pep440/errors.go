package pep440

// InvalidVersionError reports a string that is not a PEP 440 version.
// Its message is packaging's: "Invalid version: '1.0-'".
type InvalidVersionError struct {
	Version string // the string as given
}

// Error returns packaging's message.
func (e *InvalidVersionError) Error() string {
	return "Invalid version: '" + e.Version + "'"
}

// InvalidSpecifierError reports a string that is not a PEP 440 version
// specifier. Its message is packaging's: "Invalid specifier: '=>1.0'".
type InvalidSpecifierError struct {
	Specifier string // as given to ParseSpecifier, or the trimmed item of a set
}

// Error returns packaging's message.
func (e *InvalidSpecifierError) Error() string {
	return "Invalid specifier: '" + e.Specifier + "'"
}
