// Checks Kubernetes objects against the API's JSON schemas (the kubernetes-models
// package): types, required fields, enums. Unknown fields pass these schemas, so
// test_kubernetes.py checks the fields meetgate depends on by path as well.
//
//   node validate.mjs FILE...                 every document: an API object
//   node validate.mjs --helm-values FILE      jitsi-helm values: prosody's
//                                             extraInitContainers and extraVolumes
// Prints one line per object; exit 0 when all are valid, 1 otherwise.
import { readFileSync } from "node:fs";
import { parseAllDocuments, parse } from "yaml";

// "apps/v1" -> kubernetes-models/apps/v1, "v1" -> kubernetes-models/v1.
async function modelFor(apiVersion, kind) {
  const models = await import(`kubernetes-models/${apiVersion}`);
  if (!models[kind]) throw new Error(`no schema for ${apiVersion} ${kind}`);
  return models[kind];
}

async function check(label, Model, value) {
  try {
    new Model(value).validate();
    console.log(`valid ${label}`);
    return true;
  } catch (error) {
    console.log(`INVALID ${label}: ${error.message}`);
    return false;
  }
}

async function checkObjects(file) {
  let ok = true;
  for (const document of parseAllDocuments(readFileSync(file, "utf8"))) {
    if (document.errors.length) throw new Error(`${file}: ${document.errors[0].message}`);
    const object = document.toJS();
    if (!object) continue;
    const label = `${object.apiVersion} ${object.kind} ${object.metadata?.name}`;
    ok = (await check(label, await modelFor(object.apiVersion, object.kind), object)) && ok;
  }
  return ok;
}

async function checkHelmValues(file) {
  const prosody = parse(readFileSync(file, "utf8")).prosody ?? {};
  const { Container, Volume, VolumeMount } = await import("kubernetes-models/v1");
  let ok = true;
  for (const container of prosody.extraInitContainers ?? []) {
    ok = (await check(`Container ${container.name}`, Container, container)) && ok;
  }
  for (const volume of prosody.extraVolumes ?? []) {
    ok = (await check(`Volume ${volume.name}`, Volume, volume)) && ok;
  }
  for (const mount of prosody.extraVolumeMounts ?? []) {
    ok = (await check(`VolumeMount ${mount.name}`, VolumeMount, mount)) && ok;
  }
  return ok;
}

const args = process.argv.slice(2);
let ok;
if (args[0] === "--helm-values") {
  ok = await checkHelmValues(args[1]);
} else {
  ok = true;
  for (const file of args) ok = (await checkObjects(file)) && ok;
}
process.exit(ok ? 0 : 1);
