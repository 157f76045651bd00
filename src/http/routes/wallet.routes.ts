import { z } from 'zod';
import { AppError } from '../../core/errors.ts';
import { toMinor, toMoney, type WalletService } from '../../modules/payments/index.ts';
import { walletCreditBody, walletCreditResult, walletView } from '../../protocol/families/payments.ts';
import { errorBody } from '../../protocol/http.ts';
import { id } from '../../protocol/schemas.ts';
import type { requireRole } from '../auth.ts';
import type { HttpApp } from '../server.ts';

const errors = { 400: errorBody, 401: errorBody, 403: errorBody, 404: errorBody, 409: errorBody };

export interface WalletRoutesDeps {
  wallet: WalletService;
  /** Admins and backends. */
  guard: ReturnType<typeof requireRole>;
  /** Any signed-in role; the handler then allows only the wallet's owner besides staff. */
  anyone: ReturnType<typeof requireRole>;
}

/** POST /api/users/:id/wallet/credits and GET /api/users/:id/wallet (family C). */
export function registerWalletRoutes(app: HttpApp, deps: WalletRoutesDeps): void {
  app.post(
    '/api/users/:id/wallet/credits',
    {
      preHandler: deps.guard,
      schema: {
        tags: ['payments'], summary: 'Top up a wallet; the reference is idempotent per user (same amount → same answer, another amount → 409 CONFLICT)',
        params: z.object({ id }), body: walletCreditBody, response: { 200: walletCreditResult, ...errors },
      },
    },
    async (req) => {
      const { balanceMinor } = await deps.wallet.credit(req.params.id, toMinor(req.body.amount), req.body.reference);
      return { balance: toMoney(balanceMinor) };
    },
  );

  app.get(
    '/api/users/:id/wallet',
    { preHandler: deps.anyone, schema: { tags: ['payments'], summary: 'A wallet: balance, currency and the newest 100 entries', params: z.object({ id }), response: { 200: walletView, ...errors } } },
    async (req) => {
      const p = req.principal;
      if (!p || (p.role !== 'admin' && p.role !== 'service' && p.sub !== req.params.id)) throw new AppError('FORBIDDEN', 'Only your own wallet');
      const view = await deps.wallet.read(req.params.id);
      return {
        balance: toMoney(view.balanceMinor), currency: view.currency,
        entries: view.entries.map((e) => ({ transactionId: e.transactionId, kind: e.kind, reference: e.reference, amount: toMoney(e.amountMinor), createdAt: e.createdAt })),
      };
    },
  );
}
