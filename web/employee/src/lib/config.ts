import { signalingUrl } from '@support/shared';

/** Where the employee socket lives (env overrides for remote builds). */
export const EMPLOYEE_SOCKET_URL = signalingUrl('/ws/employee', import.meta.env, window.location);

/** Prefix of the HTTP API (`VITE_API_URL`, default same origin). */
export const API_BASE: string = import.meta.env.VITE_API_URL ?? '';
