import { describe, expect, it } from 'vitest';
import { checkProfile, emptyProfile, profileBody } from './profile';

describe('leader profile', () => {
  it('needs a name and keeps every field within its limit', () => {
    expect(checkProfile(emptyProfile())).toEqual({ key: 'validation.nameRequired' });
    expect(checkProfile(emptyProfile('   '))).toEqual({ key: 'validation.nameRequired' });
    expect(checkProfile(emptyProfile('王阿姨'))).toBeNull();
    expect(checkProfile(emptyProfile('团'.repeat(40)))).toBeNull();
    expect(checkProfile(emptyProfile('团'.repeat(41)))).toEqual({ key: 'leader.apply.invalid' });
    expect(checkProfile({ ...emptyProfile('王'), community: 'x'.repeat(61) })).not.toBeNull();
    expect(checkProfile({ ...emptyProfile('王'), pickupAddress: 'x'.repeat(201) })).not.toBeNull();
  });

  it('sends trimmed values and leaves blank optional fields out', () => {
    expect(
      profileBody({
        displayName: ' 王阿姨 ',
        community: ' 康健新村 ',
        pickupAddress: '  ',
        pickupHours: '',
      }),
    ).toEqual({ displayName: '王阿姨', community: '康健新村' });
  });
});
