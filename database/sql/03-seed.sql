-- A few realistic rows, so the page has something to show and the connector's snapshot has work.
INSERT INTO public.orders (customer_name, product_name, status, quantity, amount, created_at, updated_at) VALUES
    ('Ada Lovelace',      'Mechanical keyboard',        'delivered', 1,  129.99, now() - interval '3 days',  now() - interval '1 day'),
    ('Grace Hopper',      'USB-C dock',                 'shipped',   2,  179.00, now() - interval '2 days',  now() - interval '6 hours'),
    ('Alan Turing',       'Noise-cancelling headphones', 'pending',  1,  249.50, now() - interval '5 hours', now() - interval '5 hours'),
    ('Katherine Johnson', '27" monitor',                'pending',   2,  598.00, now() - interval '2 hours', now() - interval '2 hours'),
    ('Edsger Dijkstra',   'Fountain pen',               'shipped',   3,   45.75, now() - interval '1 hour',  now() - interval '40 minutes');

-- Customers: a few hundred, so the page has a window to scroll and counts by tier to show. Names and
-- emails are made from their number (emails are unique); one in ten is 'pro', one in fifty 'enterprise'.
INSERT INTO public.customers (name, email, tier, created_at)
SELECT format('%s %s', (ARRAY['Ada', 'Grace', 'Alan', 'Katherine', 'Edsger', 'Barbara', 'Donald', 'Margaret', 'Ken', 'Frances'])[1 + n % 10],
              (ARRAY['Lovelace', 'Hopper', 'Turing', 'Johnson', 'Dijkstra', 'Liskov', 'Knuth', 'Hamilton', 'Thompson', 'Allen'])[1 + (n / 10) % 10]),
       format('customer%s@example.com', n),
       CASE WHEN n % 50 = 0 THEN 'enterprise' WHEN n % 10 = 0 THEN 'pro' ELSE 'free' END,
       now() - make_interval(hours => n)
FROM generate_series(1, 300) AS n;

-- The seeded orders' lines: line 1 is the order's own product at its unit price; a few orders also
-- have a second line (an accessory), so some orders have several lines.
INSERT INTO public.order_lines (order_id, line_no, product_name, quantity, unit_price)
SELECT id, 1, product_name, quantity, round(amount / quantity, 2) FROM public.orders;
INSERT INTO public.order_lines (order_id, line_no, product_name, quantity, unit_price)
SELECT id, 2, 'Gift wrap', 1, 4.50 FROM public.orders WHERE status <> 'delivered';
