// A contact's region against its jurisdiction: the packs' countries by their ISO 3166-2 lists, others by form.
import { describe, expect, it } from 'vitest';
import { regionProblem } from '../../src/domain/regions.js';
import { PACKS } from '../../src/policy/packs/index.js';

describe('regionProblem', () => {
  it.each([
    ['FR', 'FR-75'],
    ['FR', 'fr-2a'],
    ['FR', 'FR-974'],
    ['FR', 'FR-BL'],
    ['FR', 'FR-IDF'],
    ['FR', 'FR-69M'],
    ['RE', 'FR-974'], // La Réunion's own code: French law, French regions
    ['BL', 'FR-BL'], // Saint-Barthélemy's own code, as a French collectivity
    ['US', 'US-NY'],
    ['PR', 'US-PR'],
    ['US', 'US-DC'],
    ['ES', 'ES-CN'],
    ['ES', 'ES-M'],
    ['IT', 'IT-RM'],
    ['IT', 'IT-25'],
    ['DE', 'DE-BY'],
    ['AT', 'AT-9'],
    ['CH', 'CH-GE'],
    ['NL', 'NL-BQ1'],
    ['BE', 'BE-WLG'],
    ['GB', 'GB-ENG'], // no list for GB: the form only
    ['PT', 'PT-20'],
  ])('accepts %s %s', (jurisdiction, region) => {
    expect(regionProblem(jurisdiction, region)).toBeNull();
  });

  it.each([
    ['FR', 'FR-999', '"FR-999" is not a subdivision of FR (ISO 3166-2): give a department FR-01…FR-95'],
    ['FR', 'FR-20', '"FR-20" is not a subdivision of FR'],
    ['FR', 'FR-975', '"FR-975" is not a subdivision of FR'],
    ['RE', 'FR-999', 'a contact of RE is in FR-974 (its only region), not "FR-999"'],
    // Another place's region moves the calling hours to its time zone: RE read as Paris was called at 21:30.
    ['RE', 'FR-75', 'a contact of RE is in FR-974 (its only region), not "FR-75"'],
    ['GP', 'FR-972', 'a contact of GP is in FR-971'],
    ['PR', 'US-NY', 'a contact of PR is in US-PR'],
    // Another country's subdivision that happens to end with the jurisdiction's code.
    ['DE', 'US-DE', `"US-DE" is a subdivision of US, not of the contact's jurisdiction DE`],
    ['FR', 'IT-FR', `"IT-FR" is a subdivision of IT, not of the contact's jurisdiction FR`],
    ['BE', 'CH-BE', `"CH-BE" is a subdivision of CH, not of the contact's jurisdiction BE`],
    ['CA', 'US-CA', `"US-CA" is a subdivision of US, not of the contact's jurisdiction CA`],
    ['US', 'US-XX', '"US-XX" is not a subdivision of US (ISO 3166-2): give a state US-AL…US-WY'],
    ['ES', 'ES-XX', '"ES-XX" is not a subdivision of ES'],
    ['IT', 'IT-99', '"IT-99" is not a subdivision of IT'],
    ['FR', 'US-CA', `"US-CA" is a subdivision of US, not of the contact's jurisdiction FR`],
    ['GB', 'FR-75', `"FR-75" is a subdivision of FR, not of the contact's jurisdiction GB`],
    ['BL', 'FR-75', 'a contact of BL is in FR-BL (its only region), not "FR-75"'],
    ['GB', 'GB-ENGL', 'is not an ISO 3166-2 subdivision (FR-974, US-CA…); got "GB-ENGL"'],
  ])('refuses %s %s', (jurisdiction, region, problem) => {
    expect(regionProblem(jurisdiction, region)).toContain(problem);
  });

  it('knows every region a rule pack names', () => {
    const unknown = PACKS.flatMap((p) =>
      Object.keys(p.regions ?? {}).flatMap((r) => (regionProblem(p.jurisdiction, r) === null ? [] : [r])),
    );
    expect(unknown).toEqual([]);
  });
});
