-- A few realistic rows, so the page has something to show and the connector's snapshot has work.
INSERT INTO public.orders (customer_name, product_name, status, quantity, amount, created_at, updated_at) VALUES
    ('Ada Lovelace',      'Mechanical keyboard',        'delivered', 1,  129.99, now() - interval '3 days',  now() - interval '1 day'),
    ('Grace Hopper',      'USB-C dock',                 'shipped',   2,  179.00, now() - interval '2 days',  now() - interval '6 hours'),
    ('Alan Turing',       'Noise-cancelling headphones', 'pending',  1,  249.50, now() - interval '5 hours', now() - interval '5 hours'),
    ('Katherine Johnson', '27" monitor',                'pending',   2,  598.00, now() - interval '2 hours', now() - interval '2 hours'),
    ('Edsger Dijkstra',   'Fountain pen',               'shipped',   3,   45.75, now() - interval '1 hour',  now() - interval '40 minutes');
