import { createRoute } from '@hono/zod-openapi';
import { requireAccount } from '../../middleware/session';
import { ShopParams } from '../../contracts/common';
import {
  CreateProductBody,
  EditProductBody,
  ProductEnvelope,
  ProductList,
  ProductParams,
} from '../../contracts/product';
import { createRouter, errors, jsonBody, jsonContent } from '../../openapi';
import { createProduct, editProduct, listShopProducts } from '../../services/product.service';
import { type Router, ON_RESOURCE } from '../router';

/** /api/shops/{shopId}/products…: the shop's catalogue (owner). */
export function shopProductRoutes() {
  const router = createRouter();
  createProductRoute(router);
  listProductsRoute(router);
  editProductRoute(router);
  return router;
}

function createProductRoute(router: Router) {
  router.openapi(
    createRoute({
      method: 'post',
      path: '/{shopId}/products',
      tags: ['products'],
      summary: 'Add a product (owner)',
      request: { params: ShopParams, body: jsonBody(CreateProductBody) },
      responses: {
        201: jsonContent(ProductEnvelope, 'The new product'),
        ...errors(...ON_RESOURCE),
      },
    }),
    async (c) => {
      const product = await createProduct(
        c.var.deps.db,
        requireAccount(c),
        c.req.valid('param').shopId,
        c.req.valid('json'),
      );
      return c.json({ product }, 201);
    },
  );
}

function listProductsRoute(router: Router) {
  router.openapi(
    createRoute({
      method: 'get',
      path: '/{shopId}/products',
      tags: ['products'],
      summary: "A shop's products (the owner also sees archived ones)",
      request: { params: ShopParams },
      responses: {
        200: jsonContent(ProductList, 'Products'),
        ...errors('not_found'),
      },
    }),
    async (c) =>
      c.json(
        {
          products: await listShopProducts(c.var.deps.db, c.var.user, c.req.valid('param').shopId),
        },
        200,
      ),
  );
}

function editProductRoute(router: Router) {
  router.openapi(
    createRoute({
      method: 'patch',
      path: '/{shopId}/products/{productId}',
      tags: ['products'],
      summary: 'Edit or archive a product (owner)',
      request: { params: ProductParams, body: jsonBody(EditProductBody) },
      responses: {
        200: jsonContent(ProductEnvelope, 'The product'),
        ...errors(...ON_RESOURCE),
      },
    }),
    async (c) => {
      const { shopId, productId } = c.req.valid('param');
      const product = await editProduct(
        c.var.deps.db,
        requireAccount(c),
        shopId,
        productId,
        c.req.valid('json'),
      );
      return c.json({ product }, 200);
    },
  );
}
