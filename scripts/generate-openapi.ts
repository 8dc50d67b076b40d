import { writeFile } from "node:fs/promises";
import { renderOpenApiDocument } from "../src/http/openapi-document.ts";

const target = new URL("../openapi/openapi.json", import.meta.url);
await writeFile(target, renderOpenApiDocument());
console.log(`wrote ${target.pathname}`);
