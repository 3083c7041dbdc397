/** SR content items (PS3.3 C.17.3) as naturalised sequence items. */
import { ds } from './attributes';
import type { Code } from './codes';
import type { NaturalizedDataset } from './types';

export type Relationship =
  'CONTAINS' | 'HAS CONCEPT MOD' | 'HAS OBS CONTEXT' | 'HAS ACQ CONTEXT' | 'INFERRED FROM' | 'HAS PROPERTIES';

export type ContentItem = NaturalizedDataset;

function item(relationship: Relationship, valueType: string, concept: Code | undefined, value: NaturalizedDataset) {
  return {
    RelationshipType: relationship,
    ValueType: valueType,
    ...(concept ? { ConceptNameCodeSequence: [concept] } : {}),
    ...value,
  };
}

export function container(relationship: Relationship, concept: Code, children: ContentItem[], template?: string) {
  return item(relationship, 'CONTAINER', concept, {
    ContinuityOfContent: 'SEPARATE',
    ...(template ? { ContentTemplateSequence: [{ MappingResource: 'DCMR', TemplateIdentifier: template }] } : {}),
    ContentSequence: children,
  });
}

export function textItem(relationship: Relationship, concept: Code, value: string): ContentItem {
  return item(relationship, 'TEXT', concept, { TextValue: value });
}

export function codeItem(relationship: Relationship, concept: Code, value: Code): ContentItem {
  return item(relationship, 'CODE', concept, { ConceptCodeSequence: [value] });
}

export function uidItem(relationship: Relationship, concept: Code, uid: string): ContentItem {
  return item(relationship, 'UIDREF', concept, { UID: uid });
}

/**
 * A NUM item: the value as DS text (what a viewer shows) and exactly as FD (Floating Point Value),
 * so a read-back gets the number the panel showed, not a rounded one.
 */
export function numItem(
  relationship: Relationship,
  concept: Code,
  value: number,
  unit: Code,
  children: ContentItem[] = [],
): ContentItem {
  return item(relationship, 'NUM', concept, {
    MeasuredValueSequence: [
      {
        MeasurementUnitsCodeSequence: [unit],
        NumericValue: ds(value),
        FloatingPointValue: value,
      },
    ],
    ...(children.length ? { ContentSequence: children } : {}),
  });
}

/**
 * A 2D SCOORD on an image (GraphicData column\\row, 0\\0 the top-left corner of the top-left
 * pixel), with the image it is on as its SELECTED FROM child.
 */
export function pointItem(
  relationship: Relationship,
  concept: Code,
  column: number,
  row: number,
  image: NaturalizedDataset,
): ContentItem {
  return item(relationship, 'SCOORD', concept, {
    GraphicType: 'POINT',
    GraphicData: [column, row],
    ContentSequence: [{ RelationshipType: 'SELECTED FROM', ValueType: 'IMAGE', ReferencedSOPSequence: [image] }],
  });
}

export function imageItem(
  relationship: Relationship,
  concept: Code | undefined,
  reference: NaturalizedDataset,
): ContentItem {
  return item(relationship, 'IMAGE', concept, { ReferencedSOPSequence: [reference] });
}

/** A sequence's items: an array, or one item held as an object (some naturalisers do that). */
export function itemsOf(value: unknown): NaturalizedDataset[] {
  if (Array.isArray(value)) return value as NaturalizedDataset[];
  return value && typeof value === 'object' ? [value as NaturalizedDataset] : [];
}

/** Children of an item, or none. */
export function childrenOf(node: unknown): NaturalizedDataset[] {
  return itemsOf((node as NaturalizedDataset | undefined)?.ContentSequence);
}
