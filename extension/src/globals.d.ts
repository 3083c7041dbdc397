/** Set by webpack's DefinePlugin: true in the run-time plugin bundle, false in the site-build package. */
declare const __CXR_RUNTIME_BUNDLE__: boolean;
/** webpack's public path; with publicPath 'auto' it is the folder the bundle was loaded from. */
declare let __webpack_public_path__: string;
