export const id = 447;
export const ids = [447];
export const modules = {

/***/ 78447:
/***/ ((__unused_webpack_module, __webpack_exports__, __webpack_require__) => {

__webpack_require__.r(__webpack_exports__);
/* harmony export */ __webpack_require__.d(__webpack_exports__, {
/* harmony export */   changesSinceBase: () => (/* binding */ changesSinceBase)
/* harmony export */ });
/* harmony import */ var node_child_process__WEBPACK_IMPORTED_MODULE_0__ = __webpack_require__(31421);
/* harmony import */ var node_child_process__WEBPACK_IMPORTED_MODULE_0___default = /*#__PURE__*/__webpack_require__.n(node_child_process__WEBPACK_IMPORTED_MODULE_0__);
/* harmony import */ var node_fs_promises__WEBPACK_IMPORTED_MODULE_1__ = __webpack_require__(51455);
/* harmony import */ var node_fs_promises__WEBPACK_IMPORTED_MODULE_1___default = /*#__PURE__*/__webpack_require__.n(node_fs_promises__WEBPACK_IMPORTED_MODULE_1__);
/* harmony import */ var node_os__WEBPACK_IMPORTED_MODULE_2__ = __webpack_require__(48161);
/* harmony import */ var node_os__WEBPACK_IMPORTED_MODULE_2___default = /*#__PURE__*/__webpack_require__.n(node_os__WEBPACK_IMPORTED_MODULE_2__);
/* harmony import */ var node_path__WEBPACK_IMPORTED_MODULE_3__ = __webpack_require__(76760);
/* harmony import */ var node_path__WEBPACK_IMPORTED_MODULE_3___default = /*#__PURE__*/__webpack_require__.n(node_path__WEBPACK_IMPORTED_MODULE_3__);
/* harmony import */ var _campaign_index_js__WEBPACK_IMPORTED_MODULE_4__ = __webpack_require__(86361);
/* harmony import */ var _plan_index_js__WEBPACK_IMPORTED_MODULE_5__ = __webpack_require__(48754);
/* harmony import */ var _common_index_js__WEBPACK_IMPORTED_MODULE_6__ = __webpack_require__(66791);







/** Runs git, resolving with stdout; `into` pipes stdout to a second process instead. */
function git(cwd, args, into) {
    return new Promise((resolve, reject) => {
        // Never wait for a password prompt: a fetch that needs one fails, and the section says why.
        const child = (0,node_child_process__WEBPACK_IMPORTED_MODULE_0__.spawn)('git', ['-C', cwd, ...args], {
            stdio: ['ignore', 'pipe', 'pipe'],
            env: { ...process.env, GIT_TERMINAL_PROMPT: '0' },
        });
        const sink = into ? (0,node_child_process__WEBPACK_IMPORTED_MODULE_0__.spawn)(into.command, into.args, { stdio: ['pipe', 'ignore', 'pipe'] }) : null;
        const out = [];
        const err = [];
        if (sink)
            child.stdout.pipe(sink.stdin);
        else
            child.stdout.on('data', (chunk) => out.push(chunk));
        child.stderr.on('data', (chunk) => err.push(chunk));
        sink?.stderr.on('data', (chunk) => err.push(chunk));
        let pending = sink ? 2 : 1;
        let failed = null;
        const done = (what) => (code) => {
            if (code !== 0 && failed === null)
                failed = `${what} exited with ${code}: ${Buffer.concat(err).toString('utf8').trim().split('\n')[0] ?? ''}`;
            if (--pending > 0)
                return;
            if (failed === null)
                resolve(Buffer.concat(out).toString('utf8'));
            else
                reject(new Error(failed));
        };
        child.on('error', (error) => reject(new Error(`git could not run: ${error.message}`)));
        sink?.on('error', (error) => reject(new Error(`${into.command} could not run: ${error.message}`)));
        child.on('close', done(`git ${args[0]}`));
        sink?.on('close', done(into.command));
    });
}
/**
 * The campaign changes of a pull request against its base commit: the base tree is extracted from git (fetched
 * when a shallow checkout lacks it) into a temporary folder, loaded like the head, and compared with the plan.
 * Never throws: what went wrong becomes the section's reason.
 */
async function changesSinceBase(input) {
    const folder = await (0,node_fs_promises__WEBPACK_IMPORTED_MODULE_1__.mkdtemp)(node_path__WEBPACK_IMPORTED_MODULE_3___default().join((0,node_os__WEBPACK_IMPORTED_MODULE_2__.tmpdir)(), 'sms-campaigns-base-'));
    try {
        const present = await git(input.cwd, ['cat-file', '-e', `${input.baseSha}^{commit}`]).then(() => true, () => false);
        if (!present)
            await git(input.cwd, ['fetch', '--no-tags', '--depth=1', 'origin', input.baseSha]);
        await git(input.cwd, ['archive', '--format=tar', input.baseSha], { command: 'tar', args: ['-x', '-C', folder] });
        const patterns = input.patterns.length > 0 ? input.patterns : _campaign_index_js__WEBPACK_IMPORTED_MODULE_4__/* .DEFAULT_CAMPAIGN_GLOBS */ .to;
        const base = await (0,_campaign_index_js__WEBPACK_IMPORTED_MODULE_4__/* .loadCampaigns */ .S)(patterns, { cwd: folder, env: input.env });
        return { kind: 'computed', base: input.baseName, changes: (0,_plan_index_js__WEBPACK_IMPORTED_MODULE_5__/* .planChanges */ .XA)(base, input.plan) };
    }
    catch (error) {
        return { kind: 'unavailable', base: input.baseName, reason: (0,_common_index_js__WEBPACK_IMPORTED_MODULE_6__/* .errorText */ .k)(error) };
    }
    finally {
        await (0,node_fs_promises__WEBPACK_IMPORTED_MODULE_1__.rm)(folder, { recursive: true, force: true });
    }
}


/***/ })

};

//# sourceMappingURL=447.index.js.map