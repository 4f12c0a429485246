// The channel tab's configuration page: nothing to choose, so it is valid at once and Save adds the dashboard.
import { app, pages } from '@microsoft/teams-js';
import { connect, loadSettings } from './host.js';
import { languageOf, setLanguage, t } from './i18n.js';

async function start() {
  setLanguage(languageOf(navigator.language));
  const root = document.getElementById('app');
  const context = await connect(await loadSettings());
  if (!context) {
    root.querySelector('h1').textContent = t('configTitle');
    root.querySelector('p').textContent = t('openInTeams');
    return;
  }

  setLanguage(languageOf(context.app?.locale));
  document.title = t('configTitle');
  root.querySelector('h1').textContent = t('configTitle');
  root.querySelector('p').textContent = t('configText');
  const base = new URL('./', window.location.href).toString();
  pages.config.registerOnSaveHandler((saveEvent) => {
    pages.config
      .setConfig({ entityId: 'alerts-dashboard', contentUrl: `${base}?scope=channel`, websiteUrl: base, suggestedDisplayName: t('title') })
      .then(() => saveEvent.notifySuccess())
      .catch((error) => saveEvent.notifyFailure(String(error)));
  });
  pages.config.setValidityState(true);
  app.notifySuccess();
}

start();
