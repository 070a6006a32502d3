/** The same stack check as the integration tier: stack up (native) and the connector RUNNING. */
export { default } from '@orders-live/testkit/global-setup';
