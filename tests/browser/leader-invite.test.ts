import { describe, expect, inject, it } from 'vitest';
import { uniqueEmail } from '../helpers/app';
import { LAPTOP, PHONE, readQr, screenshot, watchForTrouble } from '../helpers/browser';
import { useBrowser } from '../helpers/browser-setup';

const baseUrl = inject('baseUrl');
const browser = useBrowser();

describe('an owner invites a leader by link', () => {
  it('laptop: create and copy the link → phone: open, sign up, accept → the leader centre', async () => {
    // the owner and their shop, set up through the API
    const ownerContext = await browser().newContext({
      ...LAPTOP,
      permissions: ['clipboard-read', 'clipboard-write'],
    });
    const ownerTrouble = watchForTrouble(ownerContext);
    const owner = await ownerContext.newPage();
    const signup = await owner.request.post(`${baseUrl}/api/auth/signup`, {
      data: { email: uniqueEmail('inviter'), password: 'long-enough-pass', name: '周老板' },
      headers: { origin: baseUrl },
    });
    expect(signup.status()).toBe(201);
    const opened = await owner.request.post(`${baseUrl}/api/shops`, {
      data: { name: '周记蔬菜', slug: `zhou-${Date.now().toString(36)}` },
      headers: { origin: baseUrl },
    });
    expect(opened.status()).toBe(201);
    const { shop } = (await opened.json()) as { shop: { id: string } };

    // on the leader board: for whom, 12%, the default week
    await owner.goto(`${baseUrl}/dashboard/leaders/${shop.id}`);
    await owner.locator('html[data-hydrated]').waitFor({ state: 'attached' });
    await owner.getByTestId('invite-note').fill('3 号楼王阿姨');
    await owner.getByTestId('invite-rate-input').fill('12');
    expect(await owner.getByTestId('invite-days').inputValue()).toBe('7');
    await owner.getByTestId('invite-create-submit').click();
    await owner.getByTestId('invite-created').waitFor();
    const link = await owner.getByTestId('invite-link').inputValue();
    expect(link).toMatch(new RegExp(`^${baseUrl}/invite/[a-z2-7]{32}$`));

    // the QR code holds the same link
    await owner.getByTestId('invite-qr').waitFor();
    expect((await readQr(owner.getByTestId('invite-qr'))).text).toBe(link);

    // copy puts it on the clipboard
    await owner.getByTestId('invite-copy').click();
    expect(await owner.evaluate(() => navigator.clipboard.readText())).toBe(link);
    expect(
      await owner.locator('[data-testid="invite-row"][data-status="open"]').textContent(),
    ).toContain('3 号楼王阿姨');
    await screenshot(owner, 'invite-created-laptop');

    // a neighbour opens it on their phone, signed out
    const residentContext = await browser().newContext(PHONE);
    const residentTrouble = watchForTrouble(residentContext);
    const resident = await residentContext.newPage();
    await resident.goto(link);
    await resident.getByTestId('invite-page').waitFor();
    expect(await resident.getByTestId('invite-page').getAttribute('data-stage')).toBe('signIn');
    expect(await resident.getByTestId('invite-rate').textContent()).toBe('12%');
    expect(await resident.getByTestId('invite-page').textContent()).toContain('周记蔬菜');
    await screenshot(resident, 'invite-phone-signed-out');

    // signs up, and comes back to the invitation
    await resident.getByTestId('invite-signup').click();
    await resident.waitForURL('**/signup?redirectTo=*');
    await resident.locator('html[data-hydrated]').waitFor({ state: 'attached' });
    await resident.getByTestId('signup-name').fill('王阿姨');
    await resident.getByTestId('signup-email').fill(uniqueEmail('invitee'));
    await resident.getByTestId('signup-password').fill('long-enough-pass');
    await resident.getByTestId('signup-submit').click();
    await resident.waitForURL(link);
    await resident.getByTestId('invite-form').waitFor();
    await resident.locator('html[data-hydrated]').waitFor({ state: 'attached' });
    // the same fields as applying, the name taken from the account
    expect(await resident.getByTestId('apply-name').inputValue()).toBe('王阿姨');
    await resident.getByTestId('apply-name').fill('康健 王阿姨');
    await resident.getByTestId('apply-community').fill('康健新村');
    await resident.getByTestId('apply-address').fill('康健新村 3 号楼门卫室');
    await resident.getByTestId('apply-hours').fill('每天 17:00–20:00');
    await screenshot(resident, 'invite-phone-form');
    await resident.getByTestId('invite-accept').click();

    // straight into the leader centre, approved at 12%, with a link to share
    await resident.waitForURL(`${baseUrl}/leader`);
    await resident.getByTestId('leader-dashboard').waitFor();
    expect(await resident.getByTestId('membership').getAttribute('data-shop-id')).toBe(shop.id);
    const leaderLink = await resident.getByTestId('leader-link').inputValue();
    expect(leaderLink).toMatch(new RegExp(`^${baseUrl}/s/[a-z2-7]{8}$`));
    expect(await resident.getByTestId('membership').textContent()).toContain('12%');
    await screenshot(resident, 'invite-phone-leader-centre');

    // opening the link again later still leads somewhere useful
    await resident.goto(link);
    expect(await resident.getByTestId('invite-page').getAttribute('data-stage')).toBe('accepted');

    // anyone else who gets hold of the used link is told it has been used
    const strangerContext = await browser().newContext(PHONE);
    const stranger = await strangerContext.newPage();
    await stranger.goto(link);
    await stranger.getByTestId('invite-closed').waitFor();
    expect(await stranger.getByTestId('invite-closed').getAttribute('data-reason')).toBe('used');
    await screenshot(stranger, 'invite-phone-used');

    // the owner's board shows the new leader and the invitation as accepted, without a reload
    await expect
      .poll(() => owner.getByTestId('board-leader').getAttribute('data-status'), {
        timeout: 15_000,
      })
      .toBe('approved');
    expect(await owner.getByTestId('board-leader').textContent()).toContain('康健 王阿姨');
    await expect
      .poll(() => owner.locator('[data-testid="invite-row"][data-status="accepted"]').count(), {
        timeout: 15_000,
      })
      .toBe(1);

    // a second invitation, revoked: its link then says so
    await owner.getByTestId('invite-note').fill('李师傅');
    await owner.getByTestId('invite-create-submit').click();
    await expect
      .poll(() => owner.getByTestId('invite-link').inputValue(), { timeout: 15_000 })
      .not.toBe(link);
    const second = await owner.getByTestId('invite-link').inputValue();
    // an owner on their phone gets the same panel, stacked
    await owner.setViewportSize(PHONE.viewport);
    await screenshot(owner, 'invite-created-phone');
    await owner.setViewportSize(LAPTOP.viewport);
    await owner.locator('[data-testid="invite-row"][data-status="open"]').waitFor();
    await owner.getByTestId('invite-revoke').click();
    await expect
      .poll(() => owner.locator('[data-testid="invite-row"][data-status="open"]').count(), {
        timeout: 15_000,
      })
      .toBe(0);
    await owner.locator('details.history summary').click();
    await screenshot(owner, 'invite-board-laptop');
    await stranger.goto(`${second}?lang=en`);
    expect(await stranger.getByTestId('invite-closed').getAttribute('data-reason')).toBe('revoked');
    expect(await stranger.getByTestId('invite-closed').textContent()).toContain('withdrew');
    await screenshot(stranger, 'invite-phone-revoked-en');

    for (const trouble of [ownerTrouble, residentTrouble]) {
      expect(trouble.filter((t) => t.startsWith('dialog') || t.startsWith('page error'))).toEqual(
        [],
      );
    }
    await Promise.all([ownerContext.close(), residentContext.close(), strangerContext.close()]);
  });
});
