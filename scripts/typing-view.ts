/**
 * openapi-typescript types a parameter declared with `content` (e.g. `sort`, a JSON object in the query) as
 * a plain string. The SDK serialises such values itself, so the types should show the object: this returns
 * a copy of the document in which each content parameter also carries its media type's schema. Only the
 * generated TypeScript sees it; the bundled spec is written unchanged.
 */
import { isObject, type OpenApiDocument } from '@starship/contract';

function withContentSchema(parameter: unknown): void {
  if (!isObject(parameter) || 'schema' in parameter || !isObject(parameter.content)) return;
  const [media] = Object.values(parameter.content);
  if (isObject(media) && isObject(media.schema)) parameter.schema = media.schema;
}

export function typingView(doc: OpenApiDocument): OpenApiDocument {
  const copy = structuredClone(doc);
  const components = isObject(copy.components) ? copy.components : {};
  Object.values(isObject(components.parameters) ? components.parameters : {}).forEach(withContentSchema);
  for (const pathItem of Object.values(isObject(copy.paths) ? copy.paths : {})) {
    if (!isObject(pathItem)) continue;
    for (const value of Object.values(pathItem)) {
      const parameters = Array.isArray(value) ? value : isObject(value) ? value.parameters : undefined;
      if (Array.isArray(parameters)) parameters.forEach(withContentSchema);
    }
  }
  return copy;
}
