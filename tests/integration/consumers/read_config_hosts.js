// Reads config.hosts as Jitsi Meet's page would: each file is run in turn as a classic
// script in one fresh context (so custom-config.js sees the `config` config.js made),
// then config.hosts is printed as JSON on stdout.
//
// usage: node read_config_hosts.js [--define NAME=VALUE]... FILE...
//   --define sets a global string first, for a file that uses a variable defined
//   elsewhere on the page. nginx's SSI strings (<!--# echo ... -->) need nothing: in
//   JavaScript they are plain string literals.
'use strict';

const fs = require('fs');
const vm = require('vm');

function main(args) {
    const globals = {};
    const files = [];
    for (let i = 0; i < args.length; i++) {
        if (args[i] === '--define') {
            const [ name, ...value ] = args[++i].split('=');
            globals[name] = value.join('=');
        } else {
            files.push(args[i]);
        }
    }
    if (files.length === 0) {
        process.stderr.write('usage: node read_config_hosts.js [--define NAME=VALUE]... FILE...\n');
        return 2;
    }

    const context = vm.createContext(globals);
    for (const file of files) {
        new vm.Script(fs.readFileSync(file, 'utf8'), { filename: file }).runInContext(context);
    }

    // `config` may be a var (a property of the global) or a let/const of the scripts.
    const hosts = vm.runInContext('typeof config === "undefined" ? undefined : config.hosts',
        context);
    if (hosts === undefined) {
        process.stderr.write('read_config_hosts: no config.hosts after running the files\n');
        return 1;
    }
    process.stdout.write(`${JSON.stringify(hosts)}\n`);
    return 0;
}

process.exitCode = main(process.argv.slice(2));
