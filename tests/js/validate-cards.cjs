#!/usr/bin/env node
// Validates Adaptive Card JSON files with the official `adaptivecards` library, the way the
// .NET unit tests need it: node validate-cards.cjs <folder>
//
// Every *.json file in <folder> (not recursive) is parsed as an Adaptive Card targeting schema 1.5,
// the newest version Teams renders. A problem is printed as `file: Event: message`; the last line
// is a summary. Exit codes: 0 all valid, 1 at least one problem, 2 usage error.
//
// The library is loaded from its UMD bundle: the package's `main` is an ES module whose
// extension-less imports Node cannot resolve. Parsing and property validation need no DOM.
'use strict';

const fs = require('node:fs');
const path = require('node:path');

const USAGE = 'usage: node validate-cards.cjs <folder-with-card-json-files>';
const EXPECTED_VERSION = '1.5';

function usageError(message) {
  process.stderr.write(`${message}\n${USAGE}\n`);
  process.exit(2);
}

function loadLibrary() {
  try {
    return require('adaptivecards/dist/adaptivecards.js');
  } catch (error) {
    usageError(`cannot load the adaptivecards library (${error.message}); run \`npm ci --prefix tests/js\` first`);
    return undefined;
  }
}

// The library accepts these silently; Teams does not render them.
function structuralProblems(json) {
  const problems = [];
  if (json === null || typeof json !== 'object' || Array.isArray(json)) {
    return ['NotAnObject: the card is not a JSON object'];
  }

  if (json.type !== 'AdaptiveCard') {
    problems.push(`InvalidRootType: root "type" is ${JSON.stringify(json.type)}, expected "AdaptiveCard"`);
  }

  if (json.version !== EXPECTED_VERSION) {
    problems.push(`InvalidVersion: "version" is ${JSON.stringify(json.version)}, expected "${EXPECTED_VERSION}"`);
  }

  walk(json, '$', (node, where) => {
    if (node.type === 'TextBlock' && (typeof node.text !== 'string' || node.text.length === 0)) {
      problems.push(`MissingText: TextBlock at ${where} has no "text"`);
    }
  });
  return problems;
}

// Visits every object of the card except action `data`, which is the bot's own payload.
function walk(node, where, visit) {
  if (Array.isArray(node)) {
    node.forEach((item, index) => walk(item, `${where}[${index}]`, visit));
    return;
  }

  if (node === null || typeof node !== 'object') {
    return;
  }

  visit(node, where);
  for (const [key, value] of Object.entries(node)) {
    if (key !== 'data') {
      walk(value, `${where}.${key}`, visit);
    }
  }
}

// adaptivecards 3.0.6 validates `lang` with a shared regex that has the /g flag; its lastIndex
// survives a match, so every second valid `lang` was reported as invalid. Property definitions are
// static, so their patterns are replaced once by equivalent stateless ones.
function makePatternsStateless(AC) {
  for (const exported of Object.values(AC)) {
    if (typeof exported !== 'function') {
      continue;
    }

    for (const key of Object.getOwnPropertyNames(exported)) {
      let value;
      try {
        value = exported[key];
      } catch {
        continue;
      }

      if (value && value.regEx instanceof RegExp && (value.regEx.global || value.regEx.sticky)) {
        value.regEx = new RegExp(value.regEx.source, value.regEx.flags.replace(/[gy]/g, ''));
      }
    }
  }
}

function libraryProblems(AC, json) {
  const problems = [];
  const card = new AC.AdaptiveCard();
  const context = new AC.SerializationContext(AC.Versions.v1_5);
  card.parse(json, context);
  for (let i = 0; i < context.eventCount; i++) {
    const event = context.getEventAt(i);
    problems.push(`${AC.ValidationEvent[event.event] ?? event.event}: ${event.message}`);
  }

  for (const event of card.validateProperties().validationEvents) {
    problems.push(`${AC.ValidationEvent[event.event] ?? event.event}: ${event.message}`);
  }

  return problems;
}

function validateFile(AC, file) {
  let json;
  try {
    json = JSON.parse(fs.readFileSync(file, 'utf8'));
  } catch (error) {
    return [`InvalidJson: ${error.message}`];
  }

  const structural = structuralProblems(json);
  if (json === null || typeof json !== 'object' || Array.isArray(json)) {
    return structural;
  }

  return [...structural, ...libraryProblems(AC, json)];
}

function main(argv) {
  const folder = argv[2];
  if (!folder || argv.length > 3) {
    usageError('expected exactly one argument');
  }

  if (!fs.existsSync(folder) || !fs.statSync(folder).isDirectory()) {
    usageError(`not a folder: ${folder}`);
  }

  const files = fs.readdirSync(folder).filter((name) => name.endsWith('.json')).sort();
  if (files.length === 0) {
    // Validating nothing must not look like success.
    usageError(`no *.json files in ${folder}`);
  }

  const AC = loadLibrary();
  makePatternsStateless(AC);
  let problemCount = 0;
  let badCards = 0;
  for (const name of files) {
    const problems = validateFile(AC, path.join(folder, name));
    problemCount += problems.length;
    if (problems.length > 0) {
      badCards++;
    }

    for (const problem of problems) {
      // One line per problem, whatever the message contains.
      process.stdout.write(`${name}: ${problem.replace(/\s+/g, ' ').trim()}\n`);
    }
  }

  process.stdout.write(
    `${files.length} card(s) checked, ${files.length - badCards} valid, ${badCards} with problems (${problemCount} problem(s))\n`);
  return problemCount === 0 ? 0 : 1;
}

process.exitCode = main(process.argv);
