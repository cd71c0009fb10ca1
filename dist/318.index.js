export const id = 318;
export const ids = [318];
export const modules = {

/***/ 47318:
/***/ ((__unused_webpack_module, __webpack_exports__, __webpack_require__) => {

__webpack_require__.r(__webpack_exports__);
/* harmony export */ __webpack_require__.d(__webpack_exports__, {
/* harmony export */   ACTIONS_BOT_LOGIN: () => (/* binding */ ACTIONS_BOT_LOGIN),
/* harmony export */   findPlanComments: () => (/* binding */ findPlanComments),
/* harmony export */   upsertStickyComment: () => (/* binding */ upsertStickyComment)
/* harmony export */ });
/* harmony import */ var _report_index_js__WEBPACK_IMPORTED_MODULE_0__ = __webpack_require__(62942);
/* harmony import */ var _common_index_js__WEBPACK_IMPORTED_MODULE_1__ = __webpack_require__(66791);


/** The author of comments posted with the workflow's GITHUB_TOKEN. */
const ACTIONS_BOT_LOGIN = 'github-actions[bot]';
/**
 * Creates or updates this pull request's plan comment, found by its hidden marker and author.
 * Read-then-create is not atomic, so after creating it lists again and keeps the oldest plan comment:
 * two racing runs converge on one comment.
 */
async function upsertStickyComment(api, body) {
    try {
        const login = (await api.viewerLogin()) ?? ACTIONS_BOT_LOGIN;
        const existing = await findPlanComments(api, login);
        if (existing.length > 0)
            return await keepOldest(api, existing, body, null);
        const created = await api.create(body);
        const author = created.user?.login ?? login;
        const afterCreate = ourComments(await api.list(), author);
        if (!afterCreate.some((comment) => comment.id === created.id))
            afterCreate.push(created);
        return await keepOldest(api, sortOldestFirst(afterCreate), body, created.id);
    }
    catch (error) {
        const status = httpStatus(error);
        if (status === 403 || status === 401) {
            return {
                status: 'forbidden',
                reason: 'the token cannot comment on this pull request (pull requests from forks get a read-only token; ' +
                    'otherwise grant `pull-requests: write`)',
            };
        }
        return { status: 'failed', reason: (0,_common_index_js__WEBPACK_IMPORTED_MODULE_1__/* .errorText */ .k)(error) };
    }
}
/** The plan comments this action posted (by marker and author, so nobody else's comment counts), oldest first. */
async function findPlanComments(api, login) {
    return ourComments(await api.list(), login ?? (await api.viewerLogin()) ?? ACTIONS_BOT_LOGIN);
}
function ourComments(comments, login) {
    return sortOldestFirst(comments.filter((comment) => comment.user?.login === login && (0,_report_index_js__WEBPACK_IMPORTED_MODULE_0__/* .parseCommentMarker */ .Zv)(comment.body) !== null));
}
function sortOldestFirst(comments) {
    return [...comments].sort((a, b) => a.created_at.localeCompare(b.created_at) || a.id - b.id);
}
async function keepOldest(api, comments, body, createdId) {
    const [keep, ...duplicates] = comments;
    for (const duplicate of duplicates)
        await removeIfPresent(api, duplicate.id);
    const duplicatesRemoved = duplicates.length;
    if (keep.id === createdId)
        return { status: 'created', commentId: keep.id, duplicatesRemoved };
    if (keep.body === body)
        return { status: 'unchanged', commentId: keep.id, duplicatesRemoved };
    await api.update(keep.id, body);
    return { status: 'updated', commentId: keep.id, duplicatesRemoved };
}
/** A racing run may have deleted the same duplicate already. */
async function removeIfPresent(api, id) {
    try {
        await api.remove(id);
    }
    catch (error) {
        if (httpStatus(error) !== 404)
            throw error;
    }
}
function httpStatus(error) {
    const status = error?.status;
    return typeof status === 'number' ? status : null;
}


/***/ })

};

//# sourceMappingURL=318.index.js.map