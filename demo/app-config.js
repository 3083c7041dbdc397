/** @type {AppTypes.Config} */
/* global __CXR_BACKEND__ -- placeholder, replaced by demo/server.ts */
// The demo's OHIF configuration, served as /app-config.js in place of the prebuilt viewer's own.
// It adds our run-time extension and mode, and enables the `dicomjson` data source the demo
// study is read through. demo/server.ts fills in the backend placeholder below.
window.config = {
  name: 'chest-xray-ai-demo',
  routerBasename: '/',
  extensions: ['/plugins/chest-xray-ai-extension.mjs'],
  modes: ['/plugins/chest-xray-ai-mode.mjs'],
  customizationService: {},
  // No study list: the demo serves one study through the dicomjson data source, which has no study
  // search; OHIF's back arrow to the list ended in an error toast ("Something went wrongfalse").
  // OHIF shows the arrow only with showStudyList (ViewerHeader: isReturnEnabled), so it is hidden.
  showStudyList: false,
  maxNumberOfWebWorkers: 2,
  showWarningMessageForCrossOrigin: false,
  showCPUFallbackMessage: true,
  showLoadingIndicator: true,
  strictZSpacingForVolumeViewport: true,
  groupEnabledModesFirst: true,
  investigationalUseDialog: { option: 'never' },
  maxNumRequests: { interaction: 100, thumbnail: 5, prefetch: 10 },
  showErrorDetails: 'always',
  defaultDataSourceName: 'dicomjson',
  dataSources: [
    {
      namespace: '@ohif/extension-default.dataSourcesModule.dicomjson',
      sourceName: 'dicomjson',
      configuration: { friendlyName: 'Demo study (DICOM JSON)', name: 'json' },
    },
  ],
  // Chest X-ray AI settings (extension/README.md lists them all).
  chestXrayAi: {
    modelManifestUrl: '/models/demo/manifest.json',
    autoRun: true,
    backend: __CXR_BACKEND__,
  },
};
