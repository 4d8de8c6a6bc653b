package oidc

import "encoding/json"

// isForkPullRequest reports whether the GitHub Actions job runs for a pull
// request from a fork (GITHUB_EVENT_NAME is "pull_request" and the event
// file at GITHUB_EVENT_PATH has pull_request.head.repo.fork true). Such jobs
// never get an identity token. A missing or unreadable event file counts as
// "no", as in gh-action-pypi-publish.
func (c *Config) isForkPullRequest() bool {
	if c.getenv("GITHUB_EVENT_NAME") != "pull_request" {
		return false
	}
	path := c.getenv("GITHUB_EVENT_PATH")
	if path == "" {
		c.logger().Debug("unexpected: no GITHUB_EVENT_PATH to check")
		return false
	}
	data, err := c.readFile(path)
	if err != nil {
		c.logger().Debug("unexpected: GITHUB_EVENT_PATH cannot be read", "path", path, "err", err)
		return false
	}
	var event struct {
		PullRequest struct {
			Head struct {
				Repo struct {
					Fork bool `json:"fork"`
				} `json:"repo"`
			} `json:"head"`
		} `json:"pull_request"`
	}
	if err := json.Unmarshal(data, &event); err != nil {
		c.logger().Debug("unexpected: GITHUB_EVENT_PATH does not contain valid JSON", "path", path)
		return false
	}
	return event.PullRequest.Head.Repo.Fork
}
