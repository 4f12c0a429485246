// Numbers, times and durations in the page's language.
import { language, t } from './i18n.js';

export function dateTime(iso) {
  if (!iso) {
    return '';
  }

  const date = new Date(iso);
  if (Number.isNaN(date.getTime())) {
    return String(iso);
  }

  return new Intl.DateTimeFormat(language() === 'ja' ? 'ja-JP' : 'en-GB', {
    dateStyle: 'medium',
    timeStyle: 'short',
    timeZone: 'UTC',
  }).format(date) + ' UTC';
}

export function hours(value) {
  if (value === null || value === undefined || Number.isNaN(Number(value))) {
    return '–';
  }

  return new Intl.NumberFormat(language() === 'ja' ? 'ja-JP' : 'en-GB', { maximumFractionDigits: 1 }).format(Number(value));
}

/** A duration as "2d 4h" / "3h 20m" / "12m" (日・時間・分 in Japanese). */
export function duration(ms) {
  const minutes = Math.max(0, Math.round(Math.abs(ms) / 60000));
  const d = Math.floor(minutes / 1440);
  const hh = Math.floor((minutes % 1440) / 60);
  const mm = minutes % 60;
  const ja = language() === 'ja';
  if (d > 0) {
    return ja ? `${d}日${hh}時間` : `${d}d ${hh}h`;
  }

  if (hh > 0) {
    return ja ? `${hh}時間${mm}分` : `${hh}h ${mm}m`;
  }

  return ja ? `${mm}分` : `${mm}m`;
}

/** The SLA clock of an alert at `now`: the server's state, the time left or over. */
export function slaText(item, now) {
  // No SLA (an alert without a detection time): say nothing rather than "met".
  if (!item.sla) {
    return '';
  }

  const state = item.sla;
  if (state === 'met' || !item.slaDueAt) {
    return t('sla_met');
  }

  const left = new Date(item.slaDueAt).getTime() - now;
  return t(`sla_${state}`, duration(left));
}

/** The label of a known value (severity, status, verdict), or the value itself for one the page does not know. */
export function label(prefix, value) {
  if (value === null || value === undefined || value === '') {
    return '';
  }

  const key = `${prefix}_${value}`;
  const text = t(key);
  return text === key ? String(value) : text;
}
