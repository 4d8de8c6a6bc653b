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
// grow with the file's size. The form differs from twine's in three ways:
// name is the metadata's Name as written (twine replaces runs of
// characters other than letters, digits and "." by "-", which renames a
// project such as "my_pkg" on PyPI), Import-Name and Import-Namespace
// (metadata 2.5) are sent as import_name and import_namespace (twine
// drops them), and the fields come in a fixed order.
//
// # Answers, retries and existing files
//
// A 2xx answer is success, unless it is an HTML page rather than the
// index's empty success answer: then the index listing must show the
// file, or the upload fails. Other answers are an [*Error] carrying the
// status, the index's message (from JSON, the reason phrase or the page)
// and a hint; errors.Is tells the common cases apart ([ErrFileExists],
// [ErrAuth], ...). Transport errors, 5xx and 429 answers are retried with
// backoff ([Retry]). Before a retry, and when the index says the file
// exists, the client asks the index (the PEP 691 simple API, or the JSON
// API, under the root that [ReadAPIURL] derives) whether it has the file: the same sha256 means the upload is done,
// which makes uploads idempotent; another sha256 is a [*MismatchError].
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
