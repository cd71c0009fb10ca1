export const id = 721;
export const ids = [721];
export const modules = {

/***/ 49721:
/***/ ((__unused_webpack_module, __webpack_exports__, __webpack_require__) => {

__webpack_require__.r(__webpack_exports__);
/* harmony export */ __webpack_require__.d(__webpack_exports__, {
/* harmony export */   listFiles: () => (/* binding */ listFiles),
/* harmony export */   uploadReportFolder: () => (/* binding */ uploadReportFolder)
/* harmony export */ });
/* harmony import */ var node_fs_promises__WEBPACK_IMPORTED_MODULE_0__ = __webpack_require__(51455);
/* harmony import */ var node_fs_promises__WEBPACK_IMPORTED_MODULE_0___default = /*#__PURE__*/__webpack_require__.n(node_fs_promises__WEBPACK_IMPORTED_MODULE_0__);
/* harmony import */ var node_path__WEBPACK_IMPORTED_MODULE_1__ = __webpack_require__(76760);
/* harmony import */ var node_path__WEBPACK_IMPORTED_MODULE_1___default = /*#__PURE__*/__webpack_require__.n(node_path__WEBPACK_IMPORTED_MODULE_1__);
/* harmony import */ var _actions_artifact__WEBPACK_IMPORTED_MODULE_2__ = __webpack_require__(9645);
/* harmony import */ var _common_index_js__WEBPACK_IMPORTED_MODULE_3__ = __webpack_require__(66791);




/** Every file under dir, absolute, in a stable order. */
async function listFiles(dir) {
    const entries = await (0,node_fs_promises__WEBPACK_IMPORTED_MODULE_0__.readdir)(dir, { recursive: true, withFileTypes: true });
    return entries
        .filter((entry) => entry.isFile())
        .map((entry) => node_path__WEBPACK_IMPORTED_MODULE_1___default().join(entry.parentPath, entry.name))
        .sort();
}
/** Uploads the report folder as one artifact; a failed upload is reported, never thrown (the SMS work is done). */
async function uploadReportFolder(dir, name, retentionDays) {
    if (name === '')
        return { status: 'skipped', reason: 'artifact-name is empty' };
    try {
        const files = await listFiles(dir);
        if (files.length === 0)
            return { status: 'skipped', reason: 'the report folder is empty' };
        const client = new _actions_artifact__WEBPACK_IMPORTED_MODULE_2__/* .DefaultArtifactClient */ .t9();
        const response = await client.uploadArtifact(name, files, dir, retentionDays ? { retentionDays } : {});
        return { status: 'uploaded', id: response.id ?? null, size: response.size ?? null, files: files.length };
    }
    catch (error) {
        return { status: 'failed', reason: (0,_common_index_js__WEBPACK_IMPORTED_MODULE_3__/* .errorText */ .k)(error) };
    }
}


/***/ })

};

//# sourceMappingURL=721.index.js.map