import type { Heatmap } from '../engine';
import type { Cornerstone } from '../utils/cornerstoneLibraries';
import { layerPlacement, type LayerPlacement } from './layerPlacement';

type LocalImageOptions = Parameters<Cornerstone['imageLoader']['createAndCacheLocalImage']>[1];

/** Metadata modules a layer image has in Cornerstone's generic provider (emptied with it). */
const LAYER_METADATA = ['imagePlaneModule', 'imagePixelModule', 'generalSeriesModule'] as const;

/**
 * A heatmap as a Cornerstone local image of the map's own size, placed on the film's plane over
 * the map's `imageRegion`, in the cache under `imageId`. The image shares the map's array (no
 * copy); `addImages` makes the one VTK copy the GPU reads.
 */
export function createLayerImage(cornerstone: Cornerstone, imageId: string, baseImageId: string, heatmap: Heatmap) {
  const { cache, imageLoader, utilities } = cornerstone;
  const film = cache.getImage(baseImageId);
  if (!film) throw new Error('The image the heatmap belongs to is not loaded.');
  // The plane Cornerstone builds the film's vtkImageData from: the layer is registered to it.
  const base = utilities.getImageDataMetadata(film);
  const placement: LayerPlacement = layerPlacement(base, heatmap);
  releaseLayerImage(cornerstone, imageId);
  const image = imageLoader.createAndCacheLocalImage(imageId, {
    scalarData: heatmap.data,
    targetBuffer: { type: 'Float32Array' },
    dimensions: placement.dimensions,
    spacing: placement.spacing,
    origin: placement.origin,
    direction: placement.direction as LocalImageOptions['direction'],
    frameOfReferenceUID: base.imagePlaneModule.frameOfReferenceUID,
    // No referencedImageId: Cornerstone's cache would then answer getImageByReferencedImageId
    // for the film with our layer (segmentations look labelmaps up that way).
  });
  // addImages reads the layer's series (its modality) and plane; a film placed on default values
  // (no spacing or position) keeps that flag, so the viewport's measurement units stay as they were.
  const provider = utilities.genericMetadataProvider;
  provider.add(imageId, { type: 'generalSeriesModule', metadata: { modality: base.modality } });
  if (base.imagePlaneModule.usingDefaultValues) {
    const plane = provider.get('imagePlaneModule', imageId) as object;
    provider.add(imageId, { type: 'imagePlaneModule', metadata: { ...plane, usingDefaultValues: true } });
  }
  return { image, placement };
}

/** Takes a layer image out of Cornerstone's cache and empties its metadata (the provider keeps ids). */
export function releaseLayerImage(cornerstone: Cornerstone, imageId: string): void {
  const { cache, utilities } = cornerstone;
  if (cache.getImageLoadObject?.(imageId)) cache.removeImageLoadObject(imageId, { force: true });
  for (const type of LAYER_METADATA) utilities.genericMetadataProvider?.addRaw(imageId, { type, metadata: undefined });
}
