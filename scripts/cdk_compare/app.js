// The same architecture as stackcraft's: every template stackcraft emits for
// a blueprint, one CDK stack each, read through CfnInclude (L1 constructs for
// every resource), then synthesized by the CDK.
const cdk = require('aws-cdk-lib');
const inc = require('aws-cdk-lib/cloudformation-include');
const fs = require('fs');
const path = require('path');
const dir = process.env.OUT_DIR;
const bp = process.env.BLUEPRINT;
const app = new cdk.App();
let files;
if (bp === 'micro') {
  files = fs.readdirSync(path.join(dir, 'micro')).filter(f => f.endsWith('.template.json')).sort().map(f => path.join(dir, 'micro', f));
} else {
  files = [path.join(dir, bp + '.template.json')];
}
for (const f of files) {
  const name = path.basename(f, '.template.json').replace(/[^A-Za-z0-9-]/g, '-');
  const stack = new cdk.Stack(app, bp + '-' + name, { synthesizer: new cdk.DefaultStackSynthesizer({ generateBootstrapVersionRule: false }) });
  new inc.CfnInclude(stack, 'Template', { templateFile: f });
}
app.synth();
