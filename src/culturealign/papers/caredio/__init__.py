"""CAReDiO (Yao et al., "Cultural Alignment of LLM via Representativeness and Distinctiveness
Guided Data Optimization"): no code was released; every choice the paper leaves open is named in
the module that makes it. Built so far: the cultural framework (resources/caredio/framework.yaml),
the selection maths (§3.3) and the benchmark scores (§4.1)."""
