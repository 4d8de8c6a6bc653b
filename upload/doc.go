// Package upload sends Python distributions to an index through the
// legacy upload API that PyPI, TestPyPI and most private indexes
// implement (https://docs.pypi.org/api/upload/).
//
// A [Client] names the index and its credentials; [Client.Upload] sends
// one [dist.Distribution] and [Client.UploadAll] a batch, reporting each
// file as it finishes to [Options].OnResult:
//
//	c := &upload.Client{URL: upload.PyPIURL, Token: tokens}
//	res, err := c.Upload(ctx, d, upload.Options{SkipExisting: true})
//
// # The request
//
// The body is a multipart form with Warehouse's field names, taken from
// the file's core metadata ([Form] lists them, for a dry run), followed by
// the file. It is streamed with an exact Content-Length: memory does not
// grow with the file's size. The file is read once: unless its digests
// are known already, it is hashed while it is sent (sha256 and
// blake2b-256, each on its own goroutine), and the digest fields follow
// the file part. Warehouse parses the whole body before judging the form
// (as does every index we know), so it reads them the same; for one that
// does not, [Options].DigestsFirst, or its refusal of a form without
// digests, puts them before the file. The form differs from twine's in
// four ways: the digests' place, and:
// name is the metadata's Name as written (twine replaces runs of
// characters other than letters, digits and "." by "-", which renames a
// project such as "my_pkg" on PyPI), Import-Name and Import-Namespace
// (metadata 2.5) are sent as import_name and import_namespace (twine
// drops them), and the fields come in a fixed order:
//
//	Fields                                                Sent
//	:action, protocol_version, metadata_version,          always
//	name, version, filetype, pyversion
//	summary, description, description_content_type,       when the field has a value, once
//	keywords (joined by ", "), home_page, download_url,   per value for a multi-use field
//	author, author_email, maintainer, maintainer_email,
//	license, license_expression, license_file,
//	classifiers, platform, supported_platform,
//	requires_python, requires_dist, provides_dist,
//	obsoletes_dist, requires_external, project_urls
//	("label, url"), provides_extra, dynamic, requires,
//	provides, obsoletes, import_name, import_namespace
//	comment                                               when given
//	sha256_digest, blake2_256_digest, md5_digest          md5 on request; here when known
//	                                                      before the upload, else after the file
//	attestations                                          when attesting
//
// As twine does, [Form] leaves License-File out under a Metadata-Version
// older than 2.4 (setuptools writes it into 2.1 files), and refuses, in
// packaging's and twine's words, any other field newer than the declared
// Metadata-Version and any field the metadata parser could not read
// (dist.Metadata.Unparsed: unknown, repeated or not UTF-8).
//
// # Answers
//
// Each answer settles the file, or sends it again. "The listing" is the
// index's list of the project's files (the PEP 691 simple API, else the
// JSON API, under [ReadAPIURL]); asking it makes uploads idempotent:
//
//	answer                        what becomes of the file
//	2xx, empty or not a page      OutcomeUploaded (Warehouse answers 200, empty)
//	2xx, an HTML page             OutcomeUploaded if the listing shows it, else an *Error
//	"file exists": 409, or 400    listed, same sha256: OutcomeAlreadyPresent
//	  saying "already exists"     listed, other sha256: a *MismatchError, or
//	                                OutcomeSkipped with SkipExisting and SkipMismatched
//	                              not listed: OutcomeSkipped with SkipExisting, else
//	                                an *Error (ErrFileExists)
//	3xx                           from ".../legacy" to ".../legacy/" on the same origin:
//	                                sent again, once; else an *Error
//	transport error, 5xx, 429     sent again after a backoff (Client.Retry), unless the
//	                                listing now shows it (OutcomeAlreadyPresent)
//	other                         an *Error: the status, the index's message, a Hint
//
// With SkipExisting the listing is asked before the first attempt too,
// and decides the same way.
// errors.Is tells the cases a caller acts on apart: [ErrFileExists],
// [ErrAuth], [ErrTooLarge], [ErrAborted].
//
// # Security
//
// Credentials go only over https (or plain http to a literal loopback
// address or the name localhost, which is dialled without DNS), never
// follow a redirect to another URL, and never appear in errors: anything
// the index echoes back is redacted, whole or in pieces, raw,
// percent-encoded, base64-encoded or split by HTML tags, before it is cut
// short. A connection on which no byte moves for [Client].Timeout fails
// and is retried; listings are streamed, and refused past 64 MiB.
package upload
