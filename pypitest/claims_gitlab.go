package pypitest

import "time"

// GitLab's ID tokens, as GitLab.com issues them: valid for the job's
// timeout (an hour by default), with nbf five seconds before iat.
const (
	gitLabTokenLifetime = time.Hour
	gitLabNotBeforeSkew = 5 * time.Second
)

// gitLabHost is the GitLab instance whose URLs the claims and Fulcio's
// gitlab-pipeline template name.
const gitLabHost = "gitlab.com"

// A GitLabRun describes the GitLab CI/CD job an [Issuer] issues ID tokens
// for with [Issuer.GitLabToken]. Each empty field takes the default
// documented on it. The claims are those GitLab documents
// (https://docs.gitlab.com/ci/secrets/id_token_authentication/), on
// gitlab.com.
type GitLabRun struct {
	// Namespace is the project's group or user, subgroups included
	// (claim namespace_path). Default "octo-group".
	Namespace string
	// Project is the project's name, without the namespace; project_path
	// is "Namespace/Project". Default "sampleproject".
	Project string
	// CIConfigPath is the pipeline's configuration file in the project.
	// Default ".gitlab-ci.yml".
	CIConfigPath string
	// Ref is the branch or tag the job runs for, without refs/heads/ or
	// refs/tags/ (claim ref). Default "main".
	Ref string
	// RefType is "branch" or "tag" (claim ref_type). Default "branch".
	RefType string
	// SHA is the commit the job runs for (claims sha and ci_config_sha).
	// Default "8f3d1a2b4c5e6f708192a3b4c5d6e7f801234567".
	SHA string
	// Environment is the job's deployment environment (claim environment).
	// Default none: the claim is absent.
	Environment string
	// PipelineSource is what started the pipeline (claim
	// pipeline_source). Default "push".
	PipelineSource string
}

// withDefaults returns r with every empty field set to its default.
func (r GitLabRun) withDefaults() GitLabRun {
	setDefault(&r.Namespace, "octo-group")
	setDefault(&r.Project, "sampleproject")
	setDefault(&r.CIConfigPath, ".gitlab-ci.yml")
	setDefault(&r.Ref, "main")
	setDefault(&r.RefType, "branch")
	setDefault(&r.SHA, defaultSHA)
	setDefault(&r.PipelineSource, "push")
	return r
}

// ProjectPath returns the project_path claim: "namespace/project".
func (r GitLabRun) ProjectPath() string {
	r = r.withDefaults()
	return r.Namespace + "/" + r.Project
}

// refPath returns the full ref: refs/heads/REF or refs/tags/REF.
func (r GitLabRun) refPath() string {
	r = r.withDefaults()
	if r.RefType == "tag" {
		return "refs/tags/" + r.Ref
	}
	return "refs/heads/" + r.Ref
}

// claims returns the claims GitLab would sign for this job, without iss
// (the issuer adds its own URL).
func (r GitLabRun) claims(audience, jti string, now time.Time) map[string]any {
	r = r.withDefaults()
	iat := now.Unix()
	c := map[string]any{
		"aud":                audience,
		"ci_config_ref_uri":  gitLabHost + "/" + r.ProjectPath() + "//" + r.CIConfigPath + "@" + r.refPath(),
		"ci_config_sha":      r.SHA,
		"exp":                iat + int64(gitLabTokenLifetime/time.Second),
		"iat":                iat,
		"job_id":             "8415754949",
		"jti":                jti,
		"namespace_id":       "12885801",
		"namespace_path":     r.Namespace,
		"nbf":                iat - int64(gitLabNotBeforeSkew/time.Second),
		"pipeline_id":        "1548462215",
		"pipeline_source":    r.PipelineSource,
		"project_id":         "55235664",
		"project_path":       r.ProjectPath(),
		"project_visibility": "public",
		"ref":                r.Ref,
		"ref_path":           r.refPath(),
		"ref_protected":      "true",
		"ref_type":           r.RefType,
		"runner_environment": "gitlab-hosted",
		"runner_id":          12270852,
		"sha":                r.SHA,
		"sub":                "project_path:" + r.ProjectPath() + ":ref_type:" + r.RefType + ":ref:" + r.Ref,
		"user_access_level":  "maintainer",
		"user_email":         "octocat@example.com",
		"user_id":            "583231",
		"user_login":         "octocat",
	}
	if r.Environment != "" {
		c["environment"] = r.Environment
		c["environment_protected"] = "false"
		c["deployment_tier"] = "production"
		c["environment_action"] = "start"
	}
	return c
}

// gitLabTemplate renders GitLab CI/CD claims (read by str) as Fulcio's
// gitlab-pipeline template does (sigstore/fulcio
// config/identity/config.yaml): the SAN, then the values of the
// extensions .8 to .23.
func gitLabTemplate(str func(string) string) (san string, values []string) {
	url := "https://" + gitLabHost
	config := "https://" + str("ci_config_ref_uri")
	ref := "refs/tags/" + str("ref")
	if str("ref_type") == "branch" {
		ref = "refs/heads/" + str("ref")
	}
	return config, []string{
		str("iss"),
		config,
		str("ci_config_sha"),
		str("runner_environment"),
		url + "/" + str("project_path"),
		str("sha"),
		ref,
		str("project_id"),
		url + "/" + str("namespace_path"),
		str("namespace_id"),
		config,
		str("ci_config_sha"),
		str("pipeline_source"),
		url + "/" + str("project_path") + "/-/jobs/" + str("job_id"),
		str("project_visibility"),
		str("environment"),
	}
}

// isGitLabClaims reports whether claims are a GitLab CI/CD job's, which
// Fulcio renders with its gitlab-pipeline template.
func isGitLabClaims(claims map[string]any) bool {
	_, ok := claims["project_path"]
	return ok
}
