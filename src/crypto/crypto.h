/* crypto.h (internal) — the crypto API's memory that the boot leaves in place. */
#ifndef MMSIM_CRYPTO_CRYPTO_H
#define MMSIM_CRYPTO_CRYPTO_H
#include "machine.h"

/* A synchronous compression transform is made: the scratch buffers exist once it is. 0 or -ENOMEM. */
int crypto_scomp_init_tfm(struct machine *m);
#endif /* MMSIM_CRYPTO_CRYPTO_H */
