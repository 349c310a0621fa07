import { App, Stack } from 'aws-cdk-lib';
import { Template } from 'aws-cdk-lib/assertions';
import { buildOrganizationExample } from '../../examples/organization/stacks';
import { buildSingleAccountExample } from '../../examples/single-account/stacks';

/**
 * The examples are the compliance baseline users copy: their templates are pinned by snapshots, and a
 * change to any of them must be reviewed and updated with `npx projen test:update`.
 */
const examples: { [name: string]: (app: App) => { [stack: string]: Stack } } = {
  organization: buildOrganizationExample,
  'single-account': buildSingleAccountExample,
};

describe.each(Object.entries(examples))('%s example', (_name, build) => {
  const stacks = build(new App());

  test.each(Object.keys(stacks))('%s stack matches its snapshot', (key) => {
    expect(Template.fromStack(stacks[key]).toJSON()).toMatchSnapshot();
  });

  test('no Lambda-backed custom resources', () => {
    for (const stack of Object.values(stacks)) {
      const template = Template.fromStack(stack);
      expect(Object.keys(template.findResources('AWS::Lambda::Function'))).toEqual([]);
      const custom = Object.values(template.toJSON().Resources ?? {})
        .filter((r: any) => r.Type === 'AWS::CloudFormation::CustomResource' || r.Type.startsWith('Custom::'));
      expect(custom).toEqual([]);
    }
  });
});
