// Files Assent writes that hold personal data (rejects, screened audiences, exports, rendered messages, acquisition
// documents) are created readable by their owner only, as the database is (GDPR art. 32): the umask would make them
// readable by every local user.
export const PRIVATE_FILE = 0o600;
