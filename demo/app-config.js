/** @type {AppTypes.Config} */
/* global __CXR_EXTENSIONS__, __CXR_MODES__, __CXR_BACKEND__, __CXR_PACS_DATA_SOURCES__, __CXR_DEFAULT_DATA_SOURCE__,
   __CXR_SHOW_STUDY_LIST__, __CXR_STORE_OFF_HINT__ -- placeholders, replaced by demo/server.ts */
// The demo's OHIF configuration, served as /app-config.js in place of the prebuilt viewer's own,
// for OHIF 3.13 and the 3.14 beta alike (`OHIF_VERSION=3.14.0-beta.6 npm start`). It adds our
// run-time extension and mode, and enables the `dicomjson` data source the demo study is read
// through. demo/server.ts fills in the placeholders below:
//  - __CXR_EXTENSIONS__ / __CXR_MODES__: our run-time bundles, as URLs (the loader 3.13 and the
//    published 3.14.0-beta.6 have) or, on 3.14 with OHIF_RUNTIME_DESCRIPTORS=1, as 3.14's run-time
//    descriptors, e.g.
//      { packageName: '@chest-xray-ai/extension-chest-xray-ai',
//        importPath: '/plugins/chest-xray-ai-extension.mjs',
//        integrity: 'sha384-…',             // dist/plugins/integrity.json, written by the build
//        coreVersionRange: '>=3.13.0 <4.0.0-0' }
//    (no globalName: the bundles are ES modules). extension/README.md explains both.
//  - __CXR_BACKEND__: the inference backend.
//  - __CXR_PACS_DATA_SOURCES__, __CXR_DEFAULT_DATA_SOURCE__, __CXR_SHOW_STUDY_LIST__,
//    __CXR_STORE_OFF_HINT__: with a PACS (npm start with Orthanc installed, or PACS_URL), OHIF's
//    standard DICOMweb data source 'orthanc' (demo/pacs/demoPacs.ts: qidoRoot/wadoRoot
//    '/dicom-web', wadoUriRoot '/wado', proxied same-origin by the demo server) is the default and
//    the study list is on; without one, the dicomjson demo study, no study list, and a hint that
//    storing results is off.
window.config = {
  name: 'chest-xray-ai-demo',
  routerBasename: '/',
  extensions: __CXR_EXTENSIONS__,
  modes: __CXR_MODES__,
  customizationService: {},
  // A study list only with a PACS: the dicomjson data source has no study search, and OHIF's back
  // arrow to the list ended there in an error toast ("Something went wrongfalse"). OHIF shows the
  // arrow only with showStudyList (ViewerHeader: isReturnEnabled), so without a PACS it is hidden.
  showStudyList: __CXR_SHOW_STUDY_LIST__,
  maxNumberOfWebWorkers: 2,
  showWarningMessageForCrossOrigin: false,
  showCPUFallbackMessage: true,
  showLoadingIndicator: true,
  strictZSpacingForVolumeViewport: true,
  groupEnabledModesFirst: true,
  investigationalUseDialog: { option: 'never' },
  maxNumRequests: { interaction: 100, thumbnail: 5, prefetch: 10 },
  showErrorDetails: 'always',
  defaultDataSourceName: __CXR_DEFAULT_DATA_SOURCE__,
  dataSources: [
    {
      namespace: '@ohif/extension-default.dataSourcesModule.dicomjson',
      sourceName: 'dicomjson',
      configuration: { friendlyName: 'Demo study (DICOM JSON)', name: 'json' },
    },
    ...__CXR_PACS_DATA_SOURCES__,
  ],
  // Chest X-ray AI settings (extension/README.md lists them all).
  chestXrayAi: {
    modelManifestUrl: '/models/demo/manifest.json',
    autoRun: true,
    backend: __CXR_BACKEND__,
    // Set only when there is no PACS: why "Send to PACS" cannot work, and how to turn it on.
    storeResultsOffHint: __CXR_STORE_OFF_HINT__,
  },
};
