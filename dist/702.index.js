export const id = 702;
export const ids = [702];
export const modules = {

/***/ 6702:
/***/ ((__unused_webpack_module, __webpack_exports__, __webpack_require__) => {

__webpack_require__.r(__webpack_exports__);
/* harmony export */ __webpack_require__.d(__webpack_exports__, {
/* harmony export */   issueCommentsApi: () => (/* binding */ issueCommentsApi),
/* harmony export */   reviewLookupApi: () => (/* binding */ reviewLookupApi)
/* harmony export */ });
/** The issue comment endpoints of one pull request through @actions/github's Octokit. */
function issueCommentsApi(octokit, pr) {
    const target = { owner: pr.owner, repo: pr.repo };
    const slim = (comment) => ({
        id: comment.id,
        body: comment.body,
        user: comment.user ? { login: comment.user.login } : null,
        created_at: comment.created_at,
    });
    return {
        async list() {
            const comments = await octokit.paginate(octokit.rest.issues.listComments, {
                ...target,
                issue_number: pr.issueNumber,
                per_page: 100,
            });
            return comments.map(slim);
        },
        async create(body) {
            const response = await octokit.rest.issues.createComment({ ...target, issue_number: pr.issueNumber, body });
            return slim(response.data);
        },
        async update(id, body) {
            const response = await octokit.rest.issues.updateComment({ ...target, comment_id: id, body });
            return slim(response.data);
        },
        async remove(id) {
            await octokit.rest.issues.deleteComment({ ...target, comment_id: id });
        },
        async viewerLogin() {
            try {
                const response = await octokit.rest.users.getAuthenticated();
                return response.data.login;
            }
            catch {
                return null;
            }
        },
    };
}
/** The pull requests of a commit and their comments, for the review check on push. */
function reviewLookupApi(octokit, repo) {
    return {
        async pullRequestsOfCommit(sha) {
            const pulls = await octokit.paginate(octokit.rest.repos.listPullRequestsAssociatedWithCommit, {
                ...repo,
                commit_sha: sha,
                per_page: 100,
            });
            return pulls.map((pull) => ({ number: pull.number, merged_at: pull.merged_at, merge_commit_sha: pull.merge_commit_sha ?? null }));
        },
        comments: (pullRequest) => issueCommentsApi(octokit, { ...repo, issueNumber: pullRequest }),
    };
}


/***/ })

};

//# sourceMappingURL=702.index.js.map