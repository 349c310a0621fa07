import * as fs from 'fs';
import * as path from 'path';
import { BEGIN, END, renderDetectionsDoc } from './detections-doc';

const DOC = path.join(__dirname, '..', '..', 'docs', 'detections.md');

// Regenerate with: UPDATE_DETECTIONS_DOC=1 npx jest test/detection/detections-doc.test.ts
describe('docs/detections.md', () => {
  test('its catalog section is the one rendered from the catalog', () => {
    const text = fs.readFileSync(DOC, 'utf8');
    const start = text.indexOf(BEGIN);
    const end = text.indexOf(END);
    expect(start).toBeGreaterThanOrEqual(0);
    expect(end).toBeGreaterThan(start);
    const rendered = renderDetectionsDoc();
    if (process.env.UPDATE_DETECTIONS_DOC) {
      fs.writeFileSync(DOC, text.slice(0, start) + rendered + text.slice(end + END.length));
      return;
    }
    expect(text.slice(start, end + END.length)).toBe(rendered);
  });

  test('the rendering names every detection and fails on drift', () => {
    const rendered = renderDetectionsDoc();
    expect(rendered).toContain('`LAMBDA-EXPOSED`');
    expect(rendered).toContain('`SECRETS-RETRIEVAL-BURST`');
    const drifted = rendered.replace('`LAMBDA-EXPOSED`', '`LAMBDA-OPEN`');
    expect(drifted).not.toBe(rendered);
  });
});
