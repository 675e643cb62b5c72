/** Where the admin API lives; adminPlane routes a request there by it, adminRouter mounts its routes under it. */
export const ADMIN_PREFIX = '/admin';
