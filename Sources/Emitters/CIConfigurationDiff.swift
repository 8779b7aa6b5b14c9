/// The pipelines' review step: on a pull (merge) request, each build job compares its target's
/// configuration with the request's base (`manifestc diff`, markdown) and posts it where
/// reviewers look: GitHub's job summary, a GitLab job artifact. It runs after the build (which
/// fetched the tree the lock pins) and never fails the job: a base without the manifest, or a
/// history too shallow to fetch, leaves a line saying so.
extension CIWorkflowEmitter {
    /// The artifact a GitLab build job leaves with the markdown.
    static let configurationDiffFile = "configuration-diff.md"

    /// GitHub: `GITHUB_BASE_REF` (the base branch) is set only for pull requests.
    static let githubConfigurationDiff = """
        if [ -z "${GITHUB_BASE_REF:-}" ]; then exit 0; fi
        base="origin/$GITHUB_BASE_REF"
        git rev-parse -q --verify "$base^{commit}" >/dev/null || git fetch -q --depth=1 origin "+refs/heads/$GITHUB_BASE_REF:refs/remotes/$base" || true
        manifestc diff "$base" --manifest "$MANIFEST" --target "$TARGET" --format markdown >> "$GITHUB_STEP_SUMMARY" \\
          || echo "manifestc diff: no configuration diff of $TARGET against $base" >> "$GITHUB_STEP_SUMMARY"
        """

    /// GitLab: `CI_MERGE_REQUEST_DIFF_BASE_SHA` is set only in merge request pipelines.
    static let gitlabConfigurationDiff = #"if [ -z "${CI_MERGE_REQUEST_DIFF_BASE_SHA:-}" ]; then echo "not a merge request pipeline: no configuration diff" > \#(configurationDiffFile); "#
        + #"else base="$CI_MERGE_REQUEST_DIFF_BASE_SHA"; git rev-parse -q --verify "$base^{commit}" >/dev/null || git fetch -q --depth=1 origin "$base" || true; "#
        + #"manifestc diff "$base" --manifest "$MANIFEST" --target "$TARGET" --format markdown > \#(configurationDiffFile) "#
        + #"|| echo "manifestc diff: no configuration diff of $TARGET against $base" > \#(configurationDiffFile); fi"#
}
