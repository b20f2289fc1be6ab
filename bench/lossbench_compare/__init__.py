"""The parts of bench/compare_pytorch.py that need neither PyTorch nor NumPy.

Each module does one job, in plain Python, so that it is tested on machines
without torch (tests/bench/test_compare_pytorch_support.py):

    npy               .npy files from and to raw bytes (lossbench loss's format)
    idx               IDX files, the Fashion-MNIST format lossbench train reads
    lossbench_output  lossbench's JSON line and training CSV, parsed
    agreement         whether two results agree, and the tolerances used
    report            the rows, the JSON document and the table printed
"""
